package dev.lathe.ir.dialect.nn;

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
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuantizationOpsTest {

    @Test
    void infersQuantizedTypesFromZeroPointsAndScales() {
        assertEquals("tensor<?x3xi8>", infer("nn.quantize_linear", "tensor<?x3xf32>", "tensor<3xf32>", "tensor<3xi8>"));
        assertEquals("tensor<4xf16>", infer("nn.dequantize_linear", "tensor<4xu8>", "tensor<f16>", "tensor<u8>"));
        assertEquals("tensor<2x5xi32>", infer("nn.matmul_integer", "tensor<2x3xu8>", "tensor<3x5xi8>", "tensor<u8>",
                "tensor<5xi8>"));
    }

    @Test
    void rejectsAPerAxisScaleOfTheWrongLength() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"), tensor("tensor<2xf32>"), tensor("tensor<u8>"));
        ir.op("nn.quantize_linear", tensor("tensor<2x3xu8>"), Map.of(), ir.arg(0), ir.arg(1), ir.arg(2));
        assertOneError(ir.errors(), "expects a scale of one element or [3] (per axis 1 of tensor<2x3xf32>)",
                "found tensor<2xf32>");
    }

    @Test
    void quantizeRoundsHalfToEvenAndSaturates() {
        DenseElementsAttr y = evaluate("nn.quantize_linear", doubles("tensor<6xf32>", -1.5, -0.5, 0.5, 1.5, 2.5, 300),
                doubles("tensor<f32>", 1), longs("tensor<i8>", 0));
        assertArrayEquals(new long[] {-2, 0, 0, 2, 2, 127}, y.toLongs());
        DenseElementsAttr u = evaluate("nn.quantize_linear", doubles("tensor<2xf32>", -10, 10), doubles("tensor<f32>", 2),
                longs("tensor<u8>", 3));
        assertArrayEquals(new long[] {0, 8}, u.toLongs());
    }

    @Test
    void dequantizesPerAxis() {
        DenseElementsAttr y = evaluate("nn.dequantize_linear", Map.of("axis", IntegerAttr.of(0)),
                longs("tensor<2x2xu8>", 10, 20, 30, 40), doubles("tensor<2xf32>", 0.5, 2), longs("tensor<2xu8>", 10, 20));
        assertArrayEquals(new double[] {0, 5, 20, 40}, y.toDoubles());
    }

    @Test
    void dynamicQuantizationDerivesScaleAndZeroPointFromTheRange() {
        NnTestIR ir = new NnTestIR(tensor("tensor<3xf32>"));
        List<Type> types = NnTestIR.definition("nn.dynamic_quantize_linear").inferResultTypes(List.of(ir.arg(0).type()),
                Map.of());
        assertEquals(List.of(tensor("tensor<3xu8>"), tensor("tensor<f32>"), tensor("tensor<u8>")), types);
        Operation op = Operation.create("nn.dynamic_quantize_linear", List.of(ir.arg(0)), types, Map.of(),
                Location.name("dq"));
        List<DenseElementsAttr> r = op.definition().evaluate(op, List.of(doubles("tensor<3xf32>", -1, 0, 1.55)));
        // range [-1, 1.55]: scale 0.01, zero point 100.
        assertEquals(0.01, r.get(1).getDouble(0), 1e-8);
        assertArrayEquals(new long[] {100}, r.get(2).toLongs());
        assertArrayEquals(new long[] {0, 100, 255}, r.get(0).toLongs());
    }

    @Test
    void integerMatmulShiftsZeroPointsAndQLinearRequantizes() {
        DenseElementsAttr acc = evaluate("nn.matmul_integer", longs("tensor<1x2xu8>", 3, 4), longs("tensor<2x1xu8>", 5, 6),
                longs("tensor<u8>", 1), longs("tensor<u8>", 2));
        assertArrayEquals(new long[] {18}, acc.toLongs());
        // 18 * (0.5 * 1 / 2) = 4.5 rounds to 4 (half to even), plus zero point 10.
        DenseElementsAttr y = evaluate("nn.qlinear_matmul", longs("tensor<1x2xu8>", 3, 4), doubles("tensor<f32>", 0.5),
                longs("tensor<u8>", 1), longs("tensor<2x1xu8>", 5, 6), doubles("tensor<f32>", 1), longs("tensor<u8>", 2),
                doubles("tensor<f32>", 2), longs("tensor<u8>", 10));
        assertArrayEquals(new long[] {14}, y.toLongs());
    }
}
