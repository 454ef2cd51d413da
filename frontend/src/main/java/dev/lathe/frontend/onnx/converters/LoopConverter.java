package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.nn.LoopOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code Loop} (opsets 1 to 21; carried values may be sequences or optionals, as Loop-13 and
 * -16 allow; scan outputs are tensors): {@code nn.loop(%M, %cond, %v_initial...)} whose region is the
 * imported {@code body}, taking {@code (iteration: tensor<i64>, cond, carried...)}. An absent
 * {@code M} becomes INT64_MAX; an absent {@code cond} becomes true, and then the body yields true
 * in place of its condition output, which ONNX ignores in that case. Carried block arguments
 * start with the initial values' types and get {@code ?} dims where an iteration changes them
 * ({@link CarriedBodies}).
 */
final class LoopConverter implements OnnxOpConverter {

    private static final TensorType I64 = TensorType.of(ScalarType.I64);
    private static final TensorType I1 = TensorType.of(ScalarType.I1);

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        Value max = node.hasInput(0) ? node.input(0)
                : ctx.constant(DenseElementsAttr.fromLongs(I64, Long.MAX_VALUE));
        boolean hasCond = node.hasInput(1);
        Value cond = hasCond ? node.input(1) : ctx.constant(DenseElementsAttr.fromLongs(I1, 1));
        List<Value> operands = new ArrayList<>(List.of(max, cond));
        List<Type> carried = new ArrayList<>();
        for (int i = 2; i < node.numInputs(); i++) {
            operands.add(node.input(i));
            carried.add(node.input(i).type()); // a tensor, or a sequence or optional (Loop-13, -16)
        }
        TensorType condType = (TensorType) cond.type();
        CarriedBodies.Body body = CarriedBodies.importBody(ctx, node, IfConverter.graph(node, "body"),
                List.of(I64, condType), carried, List.of(), 1);
        Operation yield = body.block().last();
        if (!hasCond) {
            yield.setOperand(0, cond); // the body's condition output is ignored without a cond input
        }
        List<Type> types = LoopOp.resultTypes(carried.size(), body.argumentTypes(), body.yieldTypes());
        Operation op = Operation.create(LoopOp.NAME, operands, types, Map.of(), 1, node.location());
        op.region(0).addBlock(body.block());
        ctx.builder().block().append(op);
        return new ArrayList<>(op.results());
    }
}
