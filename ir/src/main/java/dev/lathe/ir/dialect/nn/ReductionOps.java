package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.OpDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The reduction, normalization, softmax and loss ops of the nn dialect (beside
 * {@code nn.reduce_sum}), listed for {@link NnDialect}.
 */
public final class ReductionOps {

    private ReductionOps() {}

    public static List<OpDefinition> all() {
        List<OpDefinition> ops = new ArrayList<>(ReduceOp.all());
        ops.addAll(ArgReduceOp.all());
        ops.addAll(SoftmaxOp.all());
        ops.add(new NegativeLogLikelihoodLossOp());
        ops.addAll(List.of(new LayerNormalizationOp(), new BatchNormalizationOp(), new InstanceNormalizationOp(),
                new LpNormalizationOp(), new MeanVarianceNormalizationOp(), new LrnOp(), new TopKOp(), new RmsNormOp()));
        return ops;
    }
}
