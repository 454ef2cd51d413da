package dev.lathe.lowering;

import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.conv_transpose} natively against the interpreter: strides with and without
 * dilation (the tap-progression path and the checked path), pads, output_padding,
 * output_shape, auto_pad, groups, bias, 1-D/2-D/3-D, output channels that do not fill whole
 * vectors or need several channel blocks, f16, and integers (the scalar form). Tolerance: the kernel
 * accumulates in f32 where the interpreter sums in f64; with at most a few hundred products of
 * values in [-1, 1] the difference stays below rtol 1e-5 + atol 1e-5. Integers are exact.
 */
class ConvTransposeLoweringTest {

    private static String convTranspose(String attrs, TensorType x, TensorType w, TensorType b, TensorType y) {
        String bias = b == null ? "" : ", %b: " + b.text();
        String operands = b == null ? "%x, %w" : "%x, %w, %b";
        String types = x.text() + ", " + w.text() + (b == null ? "" : ", " + b.text());
        return "func.func @f(%x: " + x.text() + ", %w: " + w.text() + bias + ") -> " + y.text() + " {\n"
                + "  %y = \"nn.conv_transpose\"(" + operands + ") {" + attrs + "} : (" + types + ") -> " + y.text() + "\n"
                + "  func.return %y : " + y.text() + "\n}\n";
    }

    private static TensorType f32(String dims) {
        return shape(ScalarType.F32, dims);
    }

    private static TensorType shape(ScalarType et, String dims) {
        String[] parts = dims.split("x");
        long[] s = new long[parts.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Long.parseLong(parts[i]);
        }
        return TensorType.of(et, s);
    }

    @ParameterizedTest(name = "{0} x{1} w{2} -> {4}")
    @CsvSource(delimiter = '|', value = {
        "strides = [2, 2]                                        | 1x2x3x4 | 2x3x3x3 | true  | 1x3x7x9",
        "strides = [3, 2], pads = [1, 0, 2, 1]                   | 2x2x4x3 | 2x2x4x3 | true  | 2x2x10x6",
        "strides = [2, 2], dilations = [2, 3]                    | 1x2x3x4 | 2x2x3x2 | false | 1x2x9x10",
        "strides = [2, 3], output_padding = [1, 2]               | 1x1x3x3 | 1x2x3x3 | true  | 1x2x8x11",
        "strides = [2, 2], output_shape = [10, 9]                | 1x1x3x3 | 1x2x3x3 | false | 1x2x10x9",
        "strides = [2, 2], auto_pad = \"same_lower\"             | 1x2x3x4 | 2x1x3x3 | true  | 1x1x6x8",
        "group = 2, strides = [2, 1], pads = [1, 1, 1, 1]        | 2x4x3x5 | 4x3x3x2 | true  | 2x6x5x4",
        "strides = [2]                                           | 1x3x6   | 3x2x4   | true  | 1x2x14",
        "strides = [2, 2]                                        | 1x3x3x3 | 3x70x2x2 | true | 1x70x6x6",
        "group = 3, strides = [1, 2], dilations = [1, 2]         | 1x6x4x3 | 6x5x3x2 | true  | 1x15x6x7",
        "strides = [2, 1, 2], pads = [0, 1, 1, 1, 0, 0]          | 1x2x3x3x2 | 2x2x2x3x3 | true | 1x2x5x4x4",
    })
    void matchesInterpreter(String attrs, String x, String w, boolean bias, String y) {
        TensorType xt = f32(x);
        TensorType wt = f32(w);
        TensorType yt = f32(y);
        TensorType bt = bias ? TensorType.of(ScalarType.F32, yt.dim(1)) : null;
        var inputs = new ArrayList<>(List.of(NativeCheck.random(xt, -1, 1, 1), NativeCheck.random(wt, -1, 1, 2)));
        if (bias) {
            inputs.add(NativeCheck.random(bt, -1, 1, 3));
        }
        NativeCheck.check(convTranspose(attrs, xt, wt, bt, yt), inputs, 1e-5, 1e-5);
    }

    /** f16 accumulates in f32 and rounds once; the interpreter rounds its f64 sum once: one f16 ulp apart at most. */
    @org.junit.jupiter.api.Test
    void halfPrecision() {
        TensorType xt = shape(ScalarType.F16, "1x4x3x5");
        TensorType wt = shape(ScalarType.F16, "4x6x3x3");
        TensorType yt = shape(ScalarType.F16, "1x6x7x11");
        NativeCheck.check(convTranspose("strides = [2, 2]", xt, wt, null, yt),
                List.of(NativeCheck.random(xt, -1, 1, 6), NativeCheck.random(wt, -1, 1, 7)), 2e-3, 2e-3);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"I32", "I64"})
    void integersWrapExactly(ScalarType et) {
        TensorType xt = shape(et, "1x2x3x3");
        TensorType wt = shape(et, "2x2x2x2");
        TensorType yt = shape(et, "1x2x6x6");
        NativeCheck.check(convTranspose("strides = [2, 2]", xt, wt, null, yt),
                List.of(NativeCheck.random(xt, -50, 50, 4), NativeCheck.random(wt, -50, 50, 5)), 0, 0);
    }
}
