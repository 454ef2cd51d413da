package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolOpTest {

    private static final Map<String, Attribute> K3S2_CEIL = Map.of("kernel_shape", array(3, 3), "strides", array(2, 2),
            "ceil_mode", BoolAttr.TRUE);

    @Test
    void infersWindowCountsWithCeilModeAndDynamicDims() {
        assertEquals("tensor<1x1x2x2xf32>", infer("nn.average_pool", K3S2_CEIL, "tensor<1x1x4x4xf32>"));
        assertEquals("tensor<1x1x1x1xf32>", infer("nn.average_pool", Map.of("kernel_shape", array(3, 3),
                "strides", array(2, 2)), "tensor<1x1x4x4xf32>"));
        assertEquals("tensor<?x3x1x1xf32>", infer("nn.global_max_pool", "tensor<?x3x?x7xf32>"));
        // ceil((5 + 2 - 2) / 2) + 1 = 4 windows, but the last would start at 6, inside the end padding: 3.
        assertEquals("tensor<1x1x3xf32>", infer("nn.lp_pool", Map.of("kernel_shape", array(2), "strides", array(2),
                "pads", array(0, 2), "ceil_mode", BoolAttr.TRUE), "tensor<1x1x5xf32>"));
    }

    @Test
    void averagePoolRejectsIntegers() {
        NnTestIR ir = new NnTestIR(tensor("tensor<1x1x4x4xi32>"));
        ir.op("nn.average_pool", tensor("tensor<1x1x3x3xi32>"), Map.of("kernel_shape", array(2, 2)), ir.arg(0));
        assertOneError(ir.errors(), "expects an input of a float type, found tensor<1x1x4x4xi32>");
    }

    @Test
    void averagesWithAndWithoutPaddingInTheCount() {
        DenseElementsAttr x = doubles("tensor<1x1x2x2xf32>", 1, 2, 3, 4);
        Map<String, Attribute> attrs = Map.of("kernel_shape", array(2, 2), "pads", array(1, 1, 0, 0));
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5}, evaluate("nn.average_pool", attrs, x).toDoubles());
        Map<String, Attribute> include = Map.of("kernel_shape", array(2, 2), "pads", array(1, 1, 0, 0),
                "count_include_pad", BoolAttr.TRUE);
        assertArrayEquals(new double[] {0.25, 0.75, 1, 2.5}, evaluate("nn.average_pool", include, x).toDoubles());
    }

    @Test
    void maxPoolGivesFlatIndicesRowOrColumnMajor() {
        NnTestIR ir = new NnTestIR(tensor("tensor<1x2x2x2xu8>"));
        Map<String, Attribute> attrs = Map.of("kernel_shape", array(2, 2), "storage_order", IntegerAttr.of(1));
        List<Type> types = NnTestIR.definition("nn.max_pool").inferResultTypes(List.of(ir.arg(0).type()), attrs);
        assertEquals(List.of(tensor("tensor<1x2x1x1xu8>"), tensor("tensor<1x2x1x1xi64>")), types);
        Operation op = Operation.create("nn.max_pool", List.of(ir.arg(0)), types, attrs, Location.name("pool"));
        // Channel 0 has its max (200, u8 read unsigned) at (0, 1): row-major 1, column-major 2; channel 1 starts at 4.
        List<DenseElementsAttr> r = op.definition().evaluate(op, List.of(longs("tensor<1x2x2x2xu8>", 7, 200, 3, 4, 9,
                8, 1, 2)));
        assertArrayEquals(new long[] {200, 9}, r.get(0).toLongs());
        assertArrayEquals(new long[] {2, 4}, r.get(1).toLongs());
    }

    @Test
    void lpPoolIsThePNorm() {
        DenseElementsAttr y = evaluate("nn.global_lp_pool", Map.of("p", IntegerAttr.of(2)),
                doubles("tensor<1x1x2xf32>", 3, -4));
        assertArrayEquals(new double[] {5}, y.toDoubles());
    }
}
