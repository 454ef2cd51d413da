package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.OnnxOpRegistry;

/**
 * Registers the converters of the reduction, normalization, softmax and loss ops
 * (ReduceSum aside, which {@link BuiltinConverters} lists itself).
 */
final class ReductionConverters {

    private ReductionConverters() {}

    static void registerAll(OnnxOpRegistry r) {
        r.register("ReduceMean", new ReduceConverter("nn.reduce_mean"));
        r.register("ReduceMax", new ReduceConverter("nn.reduce_max"));
        r.register("ReduceMin", new ReduceConverter("nn.reduce_min"));
        r.register("ReduceProd", new ReduceConverter("nn.reduce_prod"));
        r.register("ReduceL1", new ReduceConverter("nn.reduce_l1"));
        r.register("ReduceL2", new ReduceConverter("nn.reduce_l2"));
        r.register("ReduceLogSum", new ReduceConverter("nn.reduce_log_sum"));
        r.register("ReduceLogSumExp", new ReduceConverter("nn.reduce_log_sum_exp"));
        r.register("ReduceSumSquare", new ReduceConverter("nn.reduce_sum_square"));
        r.register("ArgMax", new ArgReduceConverter("nn.arg_max"));
        r.register("ArgMin", new ArgReduceConverter("nn.arg_min"));
        r.register("Softmax", new SoftmaxConverter("nn.softmax"));
        r.register("LogSoftmax", new SoftmaxConverter("nn.log_softmax"));
        r.register("Hardmax", new SoftmaxConverter("nn.hardmax"));
        r.register("NegativeLogLikelihoodLoss", new LossConverter(false));
        r.register("SoftmaxCrossEntropyLoss", new LossConverter(true));
        r.register("LayerNormalization", new LayerNormalizationConverter());
        r.register("BatchNormalization", new BatchNormalizationConverter());
        r.register("InstanceNormalization", new NormalizationConverter());
        r.register("LpNormalization", new NormalizationConverter());
        r.register("MeanVarianceNormalization", new NormalizationConverter());
        r.register("LRN", new NormalizationConverter());
        r.register("TopK", new TopKConverter());
    }
}
