package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.fold;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.InvalidOpException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConstantOpTest {

    private static final DenseResourceAttr WEIGHT = new DenseResourceAttr("w", tensor("tensor<2xf32>"));

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void builderGivesTheValueTypeAndVerifies() {
        NnTestIR ir = new NnTestIR();
        Operation c = ir.constant(doubles("tensor<2x2xf32>", 1, 2, 3, 4));
        Operation r = ir.constant(WEIGHT);
        ir.module.putResource("w", new dev.lathe.ir.ResourceBlob(floats(1, 2), 64));
        assertEquals(tensor("tensor<2x2xf32>"), c.result().type());
        assertEquals(tensor("tensor<2xf32>"), r.result().type());
        assertEquals(List.of(), ir.errors());
    }

    @Test
    void foldsAndEvaluatesToItsValue() {
        DenseElementsAttr value = doubles("tensor<3xi32>", 1, 2, 3);
        NnTestIR ir = new NnTestIR();
        Operation c = ir.constant(value);
        assertEquals(List.of(FoldResult.constant(value)), fold(c));
        assertSame(value, c.definition().evaluate(c, List.of()).get(0));
    }

    @Test
    void resultTypeMustEqualTheValueType() {
        NnTestIR ir = new NnTestIR();
        Map<String, Attribute> attrs = Map.of("value", doubles("tensor<2xf32>", 1));
        ir.op("nn.constant", tensor("tensor<3xf32>"), attrs);
        assertOneError(ir.errors(), "result #0 has type tensor<3xf32> but its operands and attributes give "
                + "tensor<2xf32>");
        NnTestIR dynamic = new NnTestIR();
        dynamic.op("nn.constant", tensor("tensor<?xf32>"), attrs);
        assertOneError(dynamic.errors(), "result type tensor<?xf32> must equal the type of its value, tensor<2xf32>");
    }

    @Test
    void valueMustBeATensorAttribute() {
        NnTestIR ir = new NnTestIR();
        ir.op("nn.constant", tensor("tensor<f32>"), Map.of("value", IntegerAttr.of(3)));
        assertOneError(ir.errors(), "attribute 'value' must be dense<...> or dense_resource<...>, found 3");
        assertThrows(InvalidOpException.class, () -> NnConstants.create(IntegerAttr.of(3), Location.UNKNOWN));
    }

    @Test
    void valueOfResolvesResourcesThroughTheModule() {
        NnTestIR ir = new NnTestIR();
        Operation inline = ir.constant(doubles("tensor<2xf32>", 5, 6));
        Operation resource = ir.constant(WEIGHT);
        ir.module.putResource("w", new ResourceBlob(floats(1.5f, -2f), 64));
        assertArrayEquals(new double[] {5, 6}, NnConstants.valueOf(inline, ir.module).toDoubles());
        DenseElementsAttr w = NnConstants.valueOf(resource, ir.module);
        assertEquals(tensor("tensor<2xf32>"), w.type());
        assertArrayEquals(new double[] {1.5, -2}, w.toDoubles());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> resource.definition().evaluate(resource, List.of()));
        assertTrue(e.getMessage().contains("NnConstants.valueOf"), e.getMessage());
    }

    @Test
    void valueOfReportsMissingAndMisSizedResources() {
        NnTestIR ir = new NnTestIR();
        Operation resource = ir.constant(WEIGHT);
        InvalidOpException missing = assertThrows(InvalidOpException.class,
                () -> NnConstants.valueOf(resource, ir.module));
        assertTrue(missing.getMessage().contains("dense_resource<w> : tensor<2xf32> at const names no blob"),
                missing.getMessage());
        ir.module.putResource("w", new ResourceBlob(floats(1), 4));
        InvalidOpException small = assertThrows(InvalidOpException.class,
                () -> NnConstants.valueOf(resource, ir.module));
        assertTrue(small.getMessage().contains("resource 'w' at const holds 4 bytes but tensor<2xf32> needs 8"),
                small.getMessage());
        ir.module.putResource("w", new ResourceBlob(floats(1, 2, 3), 4));
        InvalidOpException large = assertThrows(InvalidOpException.class,
                () -> NnConstants.valueOf(resource, ir.module));
        assertTrue(large.getMessage().contains("holds 12 bytes but tensor<2xf32> needs 8"), large.getMessage());
    }
}
