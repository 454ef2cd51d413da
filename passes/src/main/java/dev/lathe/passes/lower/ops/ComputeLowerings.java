package dev.lathe.passes.lower.ops;

import dev.lathe.passes.lower.Lowerings;

/**
 * Matrix products, convolutions, pooling, quantization and resampling: the compute-heavy
 * {@code nn} ops (see docs/lowering.md). Each op's lowering is its own class in this package.
 */
public final class ComputeLowerings {

    private ComputeLowerings() {}

    public static void register(Lowerings r) {
        r.register("nn.matmul", new MatmulLowering());
        r.register("nn.matmul_integer", QuantizedMatmulLowerings.MATMUL_INTEGER);
        r.register("nn.qlinear_matmul", QuantizedMatmulLowerings.QLINEAR_MATMUL);
        r.register("nn.quantize_linear", QuantizeLowerings.QUANTIZE);
        r.register("nn.dequantize_linear", QuantizeLowerings.DEQUANTIZE);
        r.register("nn.dynamic_quantize_linear", new DynamicQuantizeLowering());
        r.register("nn.conv", new ConvLowering());
        r.register("nn.conv_integer", QuantizedConvLowerings.CONV_INTEGER);
        r.register("nn.qlinear_conv", QuantizedConvLowerings.QLINEAR_CONV);
        r.register("nn.max_pool", new PoolLowering(PoolLowering.Kind.MAX, false));
        r.register("nn.average_pool", new PoolLowering(PoolLowering.Kind.AVERAGE, false));
        r.register("nn.lp_pool", new PoolLowering(PoolLowering.Kind.LP, false));
        r.register("nn.global_max_pool", new PoolLowering(PoolLowering.Kind.MAX, true));
        r.register("nn.global_average_pool", new PoolLowering(PoolLowering.Kind.AVERAGE, true));
        r.register("nn.global_lp_pool", new PoolLowering(PoolLowering.Kind.LP, true));
    }
}
