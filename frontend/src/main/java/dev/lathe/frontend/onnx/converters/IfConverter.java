package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.nn.IfOp;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code If} (every opset; outputs may be tensors, sequences or optionals):
 * {@code nn.if(%cond)} whose two regions are the imported {@code then_branch} and
 * {@code else_branch}. When the condition is known at import
 * time the taken branch's ops are placed inline instead (an exact simplification, like import-time
 * folding; the other branch is not imported), so the values downstream get its static types.
 */
final class IfConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value cond = node.input(0);
        GraphProto thenGraph = graph(node, "then_branch");
        GraphProto elseGraph = graph(node, "else_branch");
        DenseElementsAttr known = ctx.probeConstantValue(cond);
        if (known != null && known.numElements() == 1) {
            return inline(ctx, ctx.importSubgraph(known.getLong(0) != 0 ? thenGraph : elseGraph, List.of()));
        }
        Block thenBlock = ctx.importSubgraph(thenGraph, List.of());
        Block elseBlock = ctx.importSubgraph(elseGraph, List.of());
        List<Type> types;
        try {
            types = IfOp.resultTypes(thenBlock.last().operandTypes(), elseBlock.last().operandTypes());
        } catch (InvalidOpException e) {
            throw node.unsupported(e.getMessage() + "; Lathe needs one element type and rank per output");
        }
        Operation op = Operation.create(IfOp.NAME, List.of(cond), types, Map.of(), 2, node.location());
        op.region(0).addBlock(thenBlock);
        op.region(1).addBlock(elseBlock);
        ctx.builder().block().append(op);
        return new ArrayList<>(op.results());
    }

    static GraphProto graph(OnnxNode node, String name) {
        GraphProto g = node.graph(name);
        if (g == null) {
            throw node.error("attribute '" + name + "' (a graph) is required");
        }
        return g;
    }

    /** Moves the branch's ops into the current block; its yield's operands are the outputs. */
    private static List<Value> inline(ConversionContext ctx, Block branch) {
        Operation yield = branch.last();
        List<Value> outputs = new ArrayList<>(yield.operands());
        yield.dropAllReferences();
        for (Operation op : branch.operations()) {
            if (op != yield) {
                op.remove();
                ctx.builder().block().append(op);
            }
        }
        return outputs;
    }
}
