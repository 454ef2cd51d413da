package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.dft} and {@code nn.stft} natively against the interpreter: real and complex input,
 * inverse, one-sided, zero padding and truncation by {@code dft_length}, a negative axis, a
 * frozen dynamic {@code dft_length}, STFT with and without a window and with the lengths as
 * graph inputs (frozen, then made attributes). Tolerance rtol 1e-5, atol 1e-5: both sum in
 * double and round once, but the twiddles come from libm rather than Java's Math (an ulp apart),
 * and coefficients near zero are sums of cancelling terms of size ~1, so they compare absolutely.
 */
class FourierLoweringTest {

    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-5;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "2x10x3x1 | 2x10x3x2 | axis = 1",
        "2x10x3x2 | 2x10x3x2 | axis = 1, inverse = true",
        "3x16x2 | 3x9x2 | axis = -2, onesided = true",
        "1x7x4x2 | 1x7x5x2 | axis = 2, dft_length = 5",
        "1x7x4x1 | 1x7x4x2 | axis = 1, dft_length = 12, onesided = true",
    })
    void dftMatchesInterpreter(String in, String out, String attrs) {
        TensorType x = f32(in);
        TensorType y = f32(out);
        String lir = "func.func @f(%x: " + x.text() + ") -> " + y.text() + " {\n"
                + "  %0 = \"nn.dft\"(%x) {" + attrs + "} : (" + x.text() + ") -> " + y.text() + "\n"
                + "  func.return %0 : " + y.text() + "\n}\n";
        NativeCheck.check(lir, List.of(NativeCheck.random(x, -1, 1, in.hashCode())), RTOL, ATOL);
    }

    /** dft_length as a graph input: the backend freezes it and the result type becomes static. */
    @Test
    void dftLengthOperandIsFrozen() {
        String lir = """
                func.func @f(%x: tensor<2x9x2xf32>, %n: tensor<i64>) -> tensor<2x?x2xf32> {
                  %0 = "nn.dft"(%x, %n) {axis = 1} : (tensor<2x9x2xf32>, tensor<i64>) -> tensor<2x?x2xf32>
                  func.return %0 : tensor<2x?x2xf32>
                }
                """;
        NativeCheck.check(lir, List.of(NativeCheck.random(f32("2x9x2"), -1, 1, 3),
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64), new long[] {6})), RTOL, ATOL);
    }

    @ParameterizedTest(name = "{0} step {1} length {2} window {3}")
    @CsvSource({
        "2x64x1, 8, 16, true", "1x50x2, 7, 10, false", "1x33x1, 4, 9, true",
    })
    void stftMatchesInterpreter(String in, long step, long length, boolean window) {
        TensorType x = f32(in);
        TensorType w = TensorType.of(ScalarType.F32, length);
        String windowArg = window ? ", %w: " + w.text() : "";
        String windowOperand = window ? ", %w" : "";
        String windowType = window ? ", " + w.text() : "";
        String lir = "func.func @f(%x: " + x.text() + ", %s: tensor<i64>, %l: tensor<1xi64>" + windowArg
                + ") -> tensor<" + x.dim(0) + "x?x?x2xf32> {\n"
                + "  %0 = \"nn.stft\"(%x, %s, %l" + windowOperand + ") {onesided = " + (length % 2 == 0) + "} : ("
                + x.text() + ", tensor<i64>, tensor<1xi64>" + windowType + ") -> tensor<" + x.dim(0) + "x?x?x2xf32>\n"
                + "  func.return %0 : tensor<" + x.dim(0) + "x?x?x2xf32>\n}\n";
        List<DenseElementsAttr> inputs = new java.util.ArrayList<>(List.of(NativeCheck.random(x, -1, 1, 5),
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64), new long[] {step}),
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, 1), new long[] {length})));
        if (window) {
            inputs.add(NativeCheck.random(w, 0, 1, 6));
        }
        NativeCheck.check(lir, inputs, RTOL, ATOL);
    }

    private static TensorType f32(String shape) {
        return TensorType.of(ScalarType.F32, java.util.Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray());
    }
}
