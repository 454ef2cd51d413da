package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.nn.SequenceMapOp;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code SequenceMap} (opset 17): {@code nn.sequence_map(%seq, %extra...)} whose region is
 * the imported {@code body}, taking each sequence's element type (or the tensor's own type for
 * a tensor input); each output is the sequence of what the body yields.
 */
final class SequenceMapConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        List<Value> operands = new ArrayList<>();
        List<Type> argTypes = new ArrayList<>();
        for (int i = 0; i < node.numInputs(); i++) {
            Value v = node.input(i);
            operands.add(v);
            try {
                argTypes.add(SequenceMapOp.argumentType(v.type(), i));
            } catch (InvalidOpException e) {
                throw node.unsupported(e.getMessage());
            }
        }
        Block body = ctx.importSubgraph(IfConverter.graph(node, "body"), argTypes);
        List<Type> types = SequenceMapOp.resultTypes(body.last().operandTypes());
        Operation op = Operation.create(SequenceMapOp.NAME, operands, types, Map.of(), 1, node.location());
        op.region(0).addBlock(body);
        ctx.builder().block().append(op);
        return new ArrayList<>(op.results());
    }
}
