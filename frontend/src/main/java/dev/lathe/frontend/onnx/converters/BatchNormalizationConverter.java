package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.dialect.nn.BatchNormalizationOp;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code BatchNormalization} onto {@code nn.batch_normalization}. Opset 14 on:
 * {@code training_mode} (default 0) selects batch statistics and the outputs
 * {@code running_mean, running_var}. Opsets 7-13 convert in inference mode (one output); their
 * training outputs ({@code mean, var, saved_mean, saved_var}) and opset 7-8's
 * {@code spatial = 0} are not supported.
 */
final class BatchNormalizationConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        boolean training = node.opset() >= 14 && node.intOr("training_mode", 0) != 0;
        if (node.opset() < 9 && node.intOr("spatial", 1) == 0) {
            throw node.unsupported("spatial = 0 (statistics per activation rather than per channel)");
        }
        long wanted = node.outputNames().stream().skip(1).filter(n -> !n.isEmpty()).count();
        if (node.opset() < 14 && wanted > 0) {
            throw node.unsupported("the training-mode outputs of opsets before 14 (mean, var, saved_mean, saved_var)");
        }
        Map<String, Attribute> attrs = Map.of(
                "epsilon", new FloatAttr(node.floatOr("epsilon", 1e-5f), ScalarType.F32),
                "momentum", new FloatAttr(node.floatOr("momentum", 0.9f), ScalarType.F32),
                "training_mode", BoolAttr.of(training));
        List<Value> operands = List.of(node.input(0), node.input(1), node.input(2), node.input(3), node.input(4));
        Operation op = ctx.builder().createOp(BatchNormalizationOp.NAME, operands, attrs);
        int outputs = training ? Math.min(3, Math.max(1, node.numOutputs())) : 1;
        return op.results().subList(0, outputs).stream().map(r -> (Value) r).toList();
    }
}
