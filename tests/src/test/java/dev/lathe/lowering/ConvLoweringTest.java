package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code nn.conv} natively against the interpreter, one case per schedule of ConvEmitter with odd
 * sizes (vector tiles of 16, 8, 4, 2 and a scalar tail): the staged rows (padding or a stride in
 * the last dim: a 3-channel stride-2 stem, a 5x5 depthwise with stride [2, 1], a dilated grouped
 * conv with asymmetric pads and stride 3, 1-D convs), the unstaged vector interior (1x1, no
 * padding), and the integer conv over zero-point-shifted values whose staged padding must
 * contribute nothing. Floats: rtol 1e-5, atol 1e-5 (f32 sums in another tap order than the
 * reference's double ones); integers exactly.
 */
class ConvLoweringTest {

    private static DenseElementsAttr r(long seed, double lo, double hi, long... shape) {
        return NativeCheck.random(TensorType.of(ScalarType.F32, shape), lo, hi, seed);
    }

    @Test
    void stridedStemAndDepthwise() {
        String lir = """
                func.func @f(%x: tensor<1x3x11x23xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>, %d: tensor<1x5x6x37xf32>, %dw: tensor<5x1x5x5xf32>) -> (tensor<1x8x6x12xf32>, tensor<1x5x3x37xf32>) {
                  %0 = "nn.conv"(%x, %w, %b) {strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x3x11x23xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x6x12xf32>
                  %1 = "nn.conv"(%d, %dw) {group = 5, strides = [2, 1], pads = [2, 2, 2, 2]} : (tensor<1x5x6x37xf32>, tensor<5x1x5x5xf32>) -> tensor<1x5x3x37xf32>
                  func.return %0, %1 : tensor<1x8x6x12xf32>, tensor<1x5x3x37xf32>
                }
                """;
        NativeCheck.check(lir, List.of(r(1, -1, 1, 1, 3, 11, 23), r(2, -0.5, 0.5, 8, 3, 3, 3), r(3, -1, 1, 8),
                r(4, -1, 1, 1, 5, 6, 37), r(5, -0.5, 0.5, 5, 1, 5, 5)), 1e-5, 1e-5);
    }

    @Test
    void dilatedGroupedAndPointwise() {
        String lir = """
                func.func @f(%x: tensor<2x4x9x29xf32>, %w: tensor<6x2x3x3xf32>, %p: tensor<6x4x1x1xf32>) -> (tensor<2x6x9x10xf32>, tensor<2x6x9x29xf32>) {
                  %0 = "nn.conv"(%x, %w) {group = 2, strides = [1, 3], dilations = [2, 2], pads = [2, 1, 2, 3]} : (tensor<2x4x9x29xf32>, tensor<6x2x3x3xf32>) -> tensor<2x6x9x10xf32>
                  %1 = "nn.conv"(%x, %p) : (tensor<2x4x9x29xf32>, tensor<6x4x1x1xf32>) -> tensor<2x6x9x29xf32>
                  func.return %0, %1 : tensor<2x6x9x10xf32>, tensor<2x6x9x29xf32>
                }
                """;
        NativeCheck.check(lir, List.of(r(6, -1, 1, 2, 4, 9, 29), r(7, -0.5, 0.5, 6, 2, 3, 3), r(8, -0.5, 0.5, 6, 4, 1, 1)),
                1e-5, 1e-5);
    }

    @Test
    void oneDimensional() {
        String lir = """
                func.func @f(%x: tensor<1x4x50xf32>, %w: tensor<6x4x7xf32>, %v: tensor<3x4x3xf32>) -> (tensor<1x6x17xf32>, tensor<1x3x46xf32>) {
                  %0 = "nn.conv"(%x, %w) {strides = [3], pads = [3, 3]} : (tensor<1x4x50xf32>, tensor<6x4x7xf32>) -> tensor<1x6x17xf32>
                  %1 = "nn.conv"(%x, %v) {dilations = [3], pads = [1, 1]} : (tensor<1x4x50xf32>, tensor<3x4x3xf32>) -> tensor<1x3x46xf32>
                  func.return %0, %1 : tensor<1x6x17xf32>, tensor<1x3x46xf32>
                }
                """;
        NativeCheck.check(lir, List.of(r(9, -1, 1, 1, 4, 50), r(10, -0.5, 0.5, 6, 4, 7), r(11, -0.5, 0.5, 3, 4, 3)),
                1e-5, 1e-5);
    }

    @Test
    void integerConvStagesShiftedZeros() {
        String lir = """
                func.func @f(%x: tensor<1x3x7x21xu8>, %w: tensor<4x3x3x3xu8>, %xz: tensor<u8>, %wz: tensor<u8>) -> tensor<1x4x4x11xi32> {
                  %0 = "nn.conv_integer"(%x, %w, %xz, %wz) {strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x3x7x21xu8>, tensor<4x3x3x3xu8>, tensor<u8>, tensor<u8>) -> tensor<1x4x4x11xi32>
                  func.return %0 : tensor<1x4x4x11xi32>
                }
                """;
        NativeCheck.checkKernel(lir, List.of(NativeCheck.random(TensorType.of(ScalarType.U8, 1, 3, 7, 21), 0, 256, 12),
                NativeCheck.random(TensorType.of(ScalarType.U8, 4, 3, 3, 3), 0, 256, 13),
                NativeCheck.random(TensorType.of(ScalarType.U8), 100, 140, 14),
                NativeCheck.random(TensorType.of(ScalarType.U8), 100, 140, 15)), 0, 0);
    }

    /** A {@code dense<...>} literal of {@code shape} with seeded values in [-0.5, 0.5). */
    private static String dense(long seed, long... shape) {
        java.util.Random rnd = new java.util.Random(seed);
        StringBuilder sb = new StringBuilder("dense<");
        nest(sb, rnd, shape, 0);
        sb.append("> : tensor<");
        for (long d : shape) {
            sb.append(d).append('x');
        }
        return sb.append("f32>").toString();
    }

    private static void nest(StringBuilder sb, java.util.Random rnd, long[] shape, int d) {
        sb.append('[');
        for (long i = 0; i < shape[d]; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (d == shape.length - 1) {
                sb.append((float) (rnd.nextDouble() - 0.5));
            } else {
                nest(sb, rnd, shape, d + 1);
            }
        }
        sb.append(']');
    }

    /**
     * Constant filters and output rows of at most 8 run with filters in the vector lanes
     * (FilterVectorConv): unrolled last-dim taps with padding decided at compile time, a 16-tap
     * loop without padding (the STFT-as-conv shape), a 9-tap loop with padding checked at run
     * time, 2-D rows whose outer taps reach the padding, a 1x1 FC, groups, filter counts that
     * leave a partial tile, and a fused bias + relu epilogue.
     */
    @Test
    void constantFiltersOnNarrowRows() {
        String lir = """
                func.func @f(%a: tensor<1x9x4xf32>, %s: tensor<1x1x40xf32>, %p: tensor<1x2x20xf32>, %q: tensor<1x3x5x6xf32>, %e: tensor<1x24x1x1xf32>, %h: tensor<1x4x7xf32>) -> (tensor<1x20x4xf32>, tensor<1x18x4xf32>, tensor<1x10x5xf32>, tensor<1x17x5x3xf32>, tensor<1x12x1x1xf32>, tensor<1x16x7xf32>) {
                  %w1 = "nn.constant"() {value = W1} : () -> tensor<20x9x3xf32>
                  %b1 = "nn.constant"() {value = B1} : () -> tensor<20xf32>
                  %c1 = "nn.conv"(%a, %w1, %b1) {pads = [1, 1]} : (tensor<1x9x4xf32>, tensor<20x9x3xf32>, tensor<20xf32>) -> tensor<1x20x4xf32>
                  %r1 = "nn.relu"(%c1) : (tensor<1x20x4xf32>) -> tensor<1x20x4xf32>
                  %w2 = "nn.constant"() {value = W2} : () -> tensor<18x1x16xf32>
                  %c2 = "nn.conv"(%s, %w2) {strides = [8]} : (tensor<1x1x40xf32>, tensor<18x1x16xf32>) -> tensor<1x18x4xf32>
                  %w3 = "nn.constant"() {value = W3} : () -> tensor<10x2x9xf32>
                  %c3 = "nn.conv"(%p, %w3) {strides = [4], pads = [3, 3]} : (tensor<1x2x20xf32>, tensor<10x2x9xf32>) -> tensor<1x10x5xf32>
                  %w4 = "nn.constant"() {value = W4} : () -> tensor<17x3x3x3xf32>
                  %c4 = "nn.conv"(%q, %w4) {strides = [1, 2], pads = [1, 1, 1, 1]} : (tensor<1x3x5x6xf32>, tensor<17x3x3x3xf32>) -> tensor<1x17x5x3xf32>
                  %w5 = "nn.constant"() {value = W5} : () -> tensor<12x24x1x1xf32>
                  %b5 = "nn.constant"() {value = B5} : () -> tensor<12xf32>
                  %c5 = "nn.conv"(%e, %w5, %b5) : (tensor<1x24x1x1xf32>, tensor<12x24x1x1xf32>, tensor<12xf32>) -> tensor<1x12x1x1xf32>
                  %w6 = "nn.constant"() {value = W6} : () -> tensor<16x2x3xf32>
                  %c6 = "nn.conv"(%h, %w6) {group = 2, pads = [1, 1]} : (tensor<1x4x7xf32>, tensor<16x2x3xf32>) -> tensor<1x16x7xf32>
                  func.return %r1, %c2, %c3, %c4, %c5, %c6 : tensor<1x20x4xf32>, tensor<1x18x4xf32>, tensor<1x10x5xf32>, tensor<1x17x5x3xf32>, tensor<1x12x1x1xf32>, tensor<1x16x7xf32>
                }
                """.replace("W1", dense(21, 20, 9, 3)).replace("B1", dense(22, 20)).replace("W2", dense(23, 18, 1, 16))
                .replace("W3", dense(24, 10, 2, 9)).replace("W4", dense(25, 17, 3, 3, 3)).replace("W5", dense(26, 12, 24, 1, 1))
                .replace("B5", dense(27, 12)).replace("W6", dense(28, 16, 2, 3));
        NativeCheck.check(lir, List.of(r(16, -1, 1, 1, 9, 4), r(17, -1, 1, 1, 1, 40), r(18, -1, 1, 1, 2, 20),
                r(19, -1, 1, 1, 3, 5, 6), r(20, -1, 1, 1, 24, 1, 1), r(29, -1, 1, 1, 4, 7)), 1e-5, 1e-5);
    }
}
