package dev.lathe.runtime;

import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import java.util.Locale;

/** Small models as IR text for the runtime's tests. */
final class TestModels {

    private TestModels() {}

    /** {@code tanh(x · W + b)} with {@code W} 4x3, for inputs {@code x: ?x4}; {@code scale} varies W. */
    static String dense(String xType, float scale) {
        StringBuilder w = new StringBuilder("[");
        for (int i = 0; i < 4; i++) {
            w.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < 3; j++) {
                w.append(j == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", scale * (0.1f * (i + 1) - 0.07f * j)));
            }
            w.append(']');
        }
        w.append(']');
        String y = xType.replace("x4xf32", "x3xf32");
        return """
                func.func @main(%x: XT) -> YT {
                  %w = "nn.constant"() {value = dense<W> : tensor<4x3xf32>} : () -> tensor<4x3xf32>
                  %b = "nn.constant"() {value = dense<[0.1, 0.2, 0.3]> : tensor<3xf32>} : () -> tensor<3xf32>
                  %0 = "nn.matmul"(%x, %w) : (XT, tensor<4x3xf32>) -> YT
                  %1 = "nn.add"(%0, %b) : (YT, tensor<3xf32>) -> YT
                  %2 = "nn.tanh"(%1) : (YT) -> YT
                  func.return %2 : YT
                }
                """.replace("XT", xType).replace("YT", y).replace("W", w);
    }

    /** A model big enough that its loops run in parallel: {@code tanh(x · W)} with x 64x256, W 256x256. */
    static String parallel() {
        StringBuilder w = new StringBuilder("[");
        for (int i = 0; i < 256; i++) {
            w.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < 256; j++) {
                w.append(j == 0 ? "" : ", ").append(((i * 31 + j * 17) % 97 - 48) / 400.0);
            }
            w.append(']');
        }
        w.append(']');
        return """
                func.func @main(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
                  %w = "nn.constant"() {value = dense<W> : tensor<256x256xf32>} : () -> tensor<256x256xf32>
                  %0 = "nn.matmul"(%x, %w) : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32>
                  %1 = "nn.tanh"(%0) : (tensor<64x256xf32>) -> tensor<64x256xf32>
                  %2 = "nn.reduce_sum"(%1) {axes = [1], keepdims = true} : (tensor<64x256xf32>) -> tensor<64x1xf32>
                  %3 = "nn.sub"(%1, %2) : (tensor<64x256xf32>, tensor<64x1xf32>) -> tensor<64x256xf32>
                  func.return %3 : tensor<64x256xf32>
                }
                """.replace("W", w);
    }

    static Module parse(String text) {
        return IRParser.parse(text, "test.lir");
    }

    static float[] ramp(int n, float step) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((i * 7) % 13 - 6) * step;
        }
        return v;
    }
}
