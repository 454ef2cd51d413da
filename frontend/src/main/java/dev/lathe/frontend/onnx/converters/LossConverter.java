package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.NegativeLogLikelihoodLossOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code NegativeLogLikelihoodLoss} (opset 12 on) onto
 * {@code nn.negative_log_likelihood_loss}, and {@code SoftmaxCrossEntropyLoss} (opset 12 on) onto
 * {@code nn.log_softmax {axes = [1]}} followed by that loss, which is how ONNX defines it; the
 * log-softmax is SoftmaxCrossEntropyLoss's optional second output {@code log_prob}. Both keep
 * {@code reduction} (default {@code "mean"}) and {@code ignore_index}; opsets 12 and 13 differ
 * only in the element types they allow.
 */
final class LossConverter implements OnnxOpConverter {

    private final boolean softmax;

    /** {@code softmax}: SoftmaxCrossEntropyLoss rather than NegativeLogLikelihoodLoss. */
    LossConverter(boolean softmax) {
        this.softmax = softmax;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Map<String, Attribute> attrs = new TreeMap<>();
        String reduction = node.stringOr("reduction", "mean");
        if (!List.of("none", "sum", "mean").contains(reduction)) {
            throw node.error("reduction must be none, sum or mean, found '" + reduction + "'");
        }
        attrs.put("reduction", new StringAttr(reduction));
        if (node.has("ignore_index")) {
            attrs.put("ignore_index", IntegerAttr.of(node.intOr("ignore_index", 0)));
        }
        Value input = node.input(0);
        if (softmax) {
            if (node.inputType(0).rank() < 2) {
                throw node.error("scores must have rank >= 2 ([N, C, d...]), found " + node.inputType(0).text());
            }
            input = ctx.builder().create("nn.log_softmax", List.of(input), Map.of("axes", ArrayAttr.ofLongs(1)));
        }
        List<Value> operands = new ArrayList<>(List.of(input, node.input(1)));
        if (node.hasInput(2)) {
            operands.add(node.input(2));
        }
        Value loss = ctx.builder().create(NegativeLogLikelihoodLossOp.NAME, operands, attrs);
        return softmax && node.numOutputs() > 1 ? List.of(loss, input) : List.of(loss);
    }
}
