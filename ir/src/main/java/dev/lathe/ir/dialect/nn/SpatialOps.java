package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.OpDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The convolution, pooling, resampling, quantization and contraction family of the nn dialect,
 * listed for {@link NnDialect#operations()}.
 */
public final class SpatialOps {

    private SpatialOps() {}

    public static List<OpDefinition> all() {
        List<OpDefinition> ops = new ArrayList<>();
        ops.add(new ConvOp());
        ops.add(new ConvTransposeOp());
        ops.addAll(PoolOp.all());
        ops.add(new ResizeOp());
        ops.addAll(List.of(new EinsumOp(), new DetOp(), new GridSampleOp(), new MaxUnpoolOp(), new RoiAlignOp()));
        ops.addAll(List.of(new ConvIntegerOp(), new QLinearConvOp(), new MatmulIntegerOp(), new QLinearMatmulOp(),
                new QuantizeLinearOp(), new DequantizeLinearOp(), new DynamicQuantizeLinearOp()));
        return ops;
    }
}
