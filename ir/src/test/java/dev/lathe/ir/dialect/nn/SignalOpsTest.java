package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static dev.lathe.ir.dialect.nn.NormalizationOpsTest.evaluateAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The window functions, nn.dft, nn.stft and nn.mel_weight_matrix. */
class SignalOpsTest {

    @Test
    void windowSizeIsStaticAsAnAttributeAndDynamicAsAnOperand() {
        List<Type> none = List.of();
        assertEquals(List.of(tensor("tensor<4xf32>")), NnTestIR.definition("nn.hann_window")
                .inferResultTypes(none, Map.of("size", IntegerAttr.of(4))));
        assertEquals("tensor<?xf64>", infer("nn.blackman_window", Map.of("element_type", new TypeAttr(ScalarType.F64)),
                "tensor<i32>"));
    }

    @Test
    void windowValuesPeriodicAndSymmetric() {
        assertArrayEquals(new double[] {0, 0.5, 1, 0.5}, evaluateAll("nn.hann_window", Map.of("size", IntegerAttr.of(4)))
                .get(0).toDoubles(), 1e-7);
        // Symmetric hamming of 3: 25/46 - 21/46·cos(π n): [4/46, 1, 4/46].
        assertArrayEquals(new double[] {4.0 / 46, 1, 4.0 / 46}, evaluateAll("nn.hamming_window",
                Map.of("periodic", BoolAttr.FALSE), longs("tensor<i64>", 3)).get(0).toDoubles(), 1e-6);
        // An integer element type truncates: hann of 3 symmetric is [0, 1, 0].
        assertArrayEquals(new long[] {0, 1, 0}, evaluateAll("nn.hann_window", Map.of("size", IntegerAttr.of(3),
                "periodic", BoolAttr.FALSE, "element_type", new TypeAttr(ScalarType.I32))).get(0).toLongs());
    }

    @Test
    void dftOfARealSignal() {
        Map<String, Attribute> axis1 = Map.of("axis", IntegerAttr.of(1));
        // [1, 2, 3, 4] -> 10, -2+2i, -2, -2-2i
        double[] y = evaluateAll("nn.dft", axis1, doubles("tensor<1x4x1xf32>", 1, 2, 3, 4)).get(0).toDoubles();
        assertArrayEquals(new double[] {10, 0, -2, 2, -2, 0, -2, -2}, y, 1e-5);
        Map<String, Attribute> inverse = Map.of("axis", IntegerAttr.of(1), "inverse", BoolAttr.TRUE);
        double[] back = evaluateAll("nn.dft", inverse, doubles("tensor<1x4x2xf64>", y)).get(0).toDoubles();
        assertArrayEquals(new double[] {1, 0, 2, 0, 3, 0, 4, 0}, back, 1e-12);
    }

    @Test
    void dftResultTypes() {
        assertEquals("tensor<2x3x5x2xf32>", infer("nn.dft", Map.of("axis", IntegerAttr.of(2), "onesided", BoolAttr.TRUE,
                "dft_length", IntegerAttr.of(8)), "tensor<2x3x7x1xf32>"));
        assertEquals("tensor<2x?x2xf16>", infer("nn.dft", Map.of("axis", IntegerAttr.of(1)), "tensor<2x6x2xf16>",
                "tensor<i64>"));
    }

    @Test
    void dftRejectsTheComplexAxis() {
        NnTestIR ir = new NnTestIR(tensor("tensor<4x2xf32>"));
        ir.op("nn.dft", tensor("tensor<4x2xf32>"), Map.of("axis", IntegerAttr.of(-1)), ir.arg(0));
        assertOneError(ir.errors(), "expects an axis other than the last (real/imaginary) dim, found -1");
    }

    @Test
    void stftFramesAndBins() {
        Map<String, Attribute> attrs = Map.of("frame_step", IntegerAttr.of(2), "frame_length", IntegerAttr.of(4),
                "onesided", BoolAttr.TRUE);
        assertEquals("tensor<1x3x3x2xf32>", infer("nn.stft", attrs, "tensor<1x8x1xf32>"));
        assertEquals("tensor<1x?x?x2xf32>", infer("nn.stft", Map.of(), "tensor<1x8x1xf32>", "tensor<i64>", "tensor<i64>"));
        // Frames [1,1,1,1], [1,1,1,1], [1,1,1,1] times window [1, 0, 0, 0]: every bin is 1.
        double[] y = evaluateAll("nn.stft", attrs, doubles("tensor<1x8x1xf32>", 1, 1, 1, 1, 1, 1, 1, 1),
                doubles("tensor<4xf32>", 1, 0, 0, 0)).get(0).toDoubles();
        assertArrayEquals(new double[] {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0}, y, 1e-6);
    }

    @Test
    void melWeightMatrixShapeAndFilters() {
        Map<String, Attribute> attrs = Map.of("num_mel_bins", IntegerAttr.of(8), "dft_length", IntegerAttr.of(16),
                "sample_rate", IntegerAttr.of(8192), "lower_edge_hertz", new FloatAttr(0, ScalarType.F32),
                "upper_edge_hertz", new FloatAttr(4096, ScalarType.F32));
        double[] m = evaluateAll("nn.mel_weight_matrix", attrs).get(0).toDoubles();
        assertEquals(9 * 8, m.length);
        // ONNX's expected first rows: filters 0 and 1 peak in bin 0, 2 and 3 in bin 1.
        assertArrayEquals(new double[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0},
                java.util.Arrays.copyOf(m, 16), 1e-7);
        assertEquals("tensor<?x?xf32>", infer("nn.mel_weight_matrix", Map.of(), "tensor<i32>", "tensor<i32>",
                "tensor<i32>", "tensor<f32>", "tensor<f32>"));
    }
}
