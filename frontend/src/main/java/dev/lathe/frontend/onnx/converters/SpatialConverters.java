package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.OnnxOpRegistry;
import dev.lathe.ir.dialect.nn.DetOp;

/**
 * Converters of the convolution, pooling, resampling, quantization and contraction family; one
 * line in {@link BuiltinConverters#registerAll} registers them all.
 */
final class SpatialConverters {

    private SpatialConverters() {}

    static void registerAll(OnnxOpRegistry r) {
        r.register("Conv", new ConvConverter(false));
        r.register("ConvTranspose", new ConvConverter(true));
        r.register("MaxPool", new PoolConverter("nn.max_pool", false));
        r.register("AveragePool", new PoolConverter("nn.average_pool", false));
        r.register("LpPool", new PoolConverter("nn.lp_pool", false));
        r.register("GlobalMaxPool", new PoolConverter("nn.global_max_pool", true));
        r.register("GlobalAveragePool", new PoolConverter("nn.global_average_pool", true));
        r.register("GlobalLpPool", new PoolConverter("nn.global_lp_pool", true));
        r.register("Resize", new ResizeConverter(false));
        r.register("Upsample", new ResizeConverter(true));
        r.register("Einsum", new EinsumConverter());
        r.register("Det", new UnaryConverter(DetOp.NAME));
        r.register("GridSample", new GridSampleConverter());
        r.register("MaxUnpool", new MaxUnpoolConverter());
        r.register("RoiAlign", new RoiAlignConverter());
        QuantizeConverter.registerAll(r);
        QuantizedConverter.registerAll(r);
    }
}
