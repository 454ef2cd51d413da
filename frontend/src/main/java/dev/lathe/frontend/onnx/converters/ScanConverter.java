package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.nn.ScanOp;
import dev.lathe.ir.dialect.nn.YieldOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code Scan}. Opset 9+: {@code nn.scan(%states..., %inputs...)} with the body as its
 * region and all four axis/direction arrays written out (defaults zeros; negative axes, allowed
 * from opset 11, made non-negative). Opset 8, whose inputs and states have a leading batch axis
 * (and scanned inputs their sequence on axis 1): an {@code nn.scan} over the batch, scanning
 * every operand on axis 0 and stacking every result on axis 0, whose body is the opset-9 form
 * over the sequence. Opset 8's {@code sequence_lens} must be absent (every sequence full length).
 */
final class ScanConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        GraphProto graph = IfConverter.graph(node, "body");
        long m = node.intOr("num_scan_inputs", -1);
        int first = node.opset() < 9 ? 1 : 0;
        if (node.opset() < 9 && node.hasInput(0)) {
            throw node.unsupported("sequence_lens is given; Lathe's Scan-8 needs every sequence at full length");
        }
        int numOperands = node.numInputs() - first;
        if (m < 1 || m > numOperands) {
            throw node.error("num_scan_inputs must be in 1.." + numOperands + " (the scanned inputs and states), found "
                    + m);
        }
        List<Value> operands = new ArrayList<>();
        for (int i = first; i < node.numInputs(); i++) {
            operands.add(node.input(i));
        }
        int n = numOperands - (int) m;
        int k = graph.getOutputCount() - n;
        if (k < 0) {
            throw node.error("the body has " + graph.getOutputCount() + " outputs; expected at least " + n + " (the states)");
        }
        if (node.opset() >= 9) {
            Operation op = scan(ctx, node, graph, operands, n, node.intsOr("scan_input_axes", new long[(int) m]),
                    node.intsOr("scan_input_directions", new long[(int) m]), node.ints("scan_output_axes"),
                    node.intsOr("scan_output_directions", new long[k]));
            ctx.builder().block().append(op);
            return new ArrayList<>(op.results());
        }
        return batched(ctx, node, graph, operands, n, k, node.intsOr("directions", new long[(int) m]));
    }

    /** Scan-8: an nn.scan over the batch axis whose body scans each batch element's sequences. */
    private static List<Value> batched(ConversionContext ctx, OnnxNode node, GraphProto graph, List<Value> operands,
            int n, int k, long[] directions) {
        List<Type> sliceTypes = new ArrayList<>();
        for (Value v : operands) {
            TensorType t = (TensorType) v.type();
            if (t.rank() < 1) {
                throw node.error("Scan-8 operands need a leading batch axis, found " + t.text());
            }
            sliceTypes.add(t.withShape(t.shape().subList(1, t.rank())));
        }
        Block outer = new Block(sliceTypes);
        Operation inner = scan(ctx, node, graph, outer.arguments().stream().map(a -> (Value) a).toList(), n,
                new long[operands.size() - n], directions, new long[k], new long[k]);
        outer.append(inner);
        outer.append(Operation.create(YieldOp.NAME, inner.results(), List.of(), Map.of(),
                node.location()));
        int all = operands.size();
        Map<String, Attribute> attrs = attributes(all, new long[all], new long[all], new long[n + k], new long[n + k]);
        List<Type> types = ScanOp.resultTypes(operandTypes(operands), attrs, sliceTypes, inner.resultTypes());
        Operation op = Operation.create(ScanOp.NAME, operands, types, attrs, 1, node.location());
        op.region(0).addBlock(outer);
        ctx.builder().block().append(op);
        return new ArrayList<>(op.results());
    }

    /** The opset-9 form: an nn.scan (not yet placed) whose region is the imported body. */
    private static Operation scan(ConversionContext ctx, OnnxNode node, GraphProto graph, List<Value> operands, int n,
            long[] inAxes, long[] inDirections, long[] outAxes, long[] outDirections) {
        int m = operands.size() - n;
        if (inAxes.length != m || inDirections.length != m) {
            throw node.error("scan_input_axes and the input directions need " + m + " entries (one per scanned input),"
                    + " found " + inAxes.length + " and " + inDirections.length);
        }
        List<TensorType> states = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            states.add((TensorType) operands.get(i).type());
        }
        long[] axes = inAxes.clone();
        List<TensorType> slices = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            TensorType x = (TensorType) operands.get(n + i).type();
            axes[i] = normalize(node, "scan_input_axes", axes, i, x.rank());
            List<Long> dims = new ArrayList<>(x.shape());
            dims.remove((int) axes[i]);
            slices.add(TensorType.of(dims, x.elementType()));
        }
        CarriedBodies.Body body = CarriedBodies.importBody(ctx, node, graph, List.of(), states, slices, 0);
        List<Type> yields = body.yieldTypes();
        int k = yields.size() - n;
        long[] out = outAxes == null ? new long[k] : outAxes.clone();
        for (int i = 0; i < k && i < out.length; i++) {
            out[i] = normalize(node, "scan_output_axes", out, i, ((TensorType) yields.get(n + i)).rank() + 1);
        }
        Map<String, Attribute> attrs = attributes(m, axes, inDirections, out, outDirections);
        List<Type> types;
        try {
            types = ScanOp.resultTypes(operandTypes(operands), attrs, body.argumentTypes(), yields);
        } catch (InvalidOpException e) {
            throw node.error(e.getMessage());
        }
        Operation op = Operation.create(ScanOp.NAME, operands, types, attrs, 1, node.location());
        op.region(0).addBlock(body.block());
        return op;
    }

    private static long normalize(OnnxNode node, String name, long[] axes, int i, int rank) {
        long a = axes[i];
        if (a < -rank || a >= rank) {
            throw node.error(name + "[" + i + "] is " + a + "; expected an axis in " + -rank + ".." + (rank - 1));
        }
        return a < 0 ? a + rank : a;
    }

    private static Map<String, Attribute> attributes(int m, long[] inAxes, long[] inDirections, long[] outAxes,
            long[] outDirections) {
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("num_scan_inputs", IntegerAttr.of(m));
        attrs.put("scan_input_axes", ArrayAttr.ofLongs(inAxes));
        attrs.put("scan_input_directions", ArrayAttr.ofLongs(inDirections));
        attrs.put("scan_output_axes", ArrayAttr.ofLongs(outAxes));
        attrs.put("scan_output_directions", ArrayAttr.ofLongs(outDirections));
        return attrs;
    }

    private static List<Type> operandTypes(List<Value> operands) {
        return operands.stream().map(Value::type).toList();
    }
}
