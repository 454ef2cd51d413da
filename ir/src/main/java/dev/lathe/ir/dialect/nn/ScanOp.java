package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.interp.EvaluatesRegions;
import dev.lathe.ir.interp.RegionRunner;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.scan}: ONNX Scan (the opset 9+ form). Operands: N initial state values, then M
 * scanned inputs ({@code num_scan_inputs = M}, at least 1). All scanned inputs have the same
 * length L along their axis ({@code scan_input_axes}, one non-negative axis each). One region
 * whose block takes {@code (%state..., %slice...)}: the N states and, for each scanned input, its
 * slice at step {@code t} with the axis removed, and yields {@code (%state_next..., %out...)}.
 *
 * <pre>{@code
 * for (t = 0; t < L; t++) { (state, out) = body(state, x[t] for each input); outs.append(out) }
 * }</pre>
 *
 * A direction of 1 in {@code scan_input_directions} reads that input from its end; in
 * {@code scan_output_directions} it stacks that output's values in reverse order. Results: the N
 * final states, then the K outputs stacked along their {@code scan_output_axes} (an axis in
 * {@code 0..rank(yield)}), that dim L. The four arrays default to zeros; the importer writes
 * them all, axes normalized to non-negative. ONNX's opset-8 Scan (batch axis first) becomes
 * an {@code nn.scan} over the batch whose body is an {@code nn.scan} over the sequence.
 * With L = 0 an output is stacked from nothing: its dims are those of the yield, {@code ?} read
 * as 0 (ONNX leaves that case open).
 *
 * <pre>
 * %s, %o = "nn.scan"(%init, %x) ({
 * ^bb0(%si: tensor&lt;2xf32&gt;, %xi: tensor&lt;2xf32&gt;):
 *   %n = "nn.add"(%si, %xi) : (tensor&lt;2xf32&gt;, tensor&lt;2xf32&gt;) -&gt; tensor&lt;2xf32&gt;
 *   "nn.yield"(%n, %n) : (tensor&lt;2xf32&gt;, tensor&lt;2xf32&gt;) -&gt; ()
 * }) {num_scan_inputs = 1, scan_input_axes = [0], scan_input_directions = [0], scan_output_axes = [0],
 *     scan_output_directions = [0]} : (tensor&lt;2xf32&gt;, tensor&lt;3x2xf32&gt;) -&gt; (tensor&lt;2xf32&gt;, tensor&lt;3x2xf32&gt;)
 * </pre>
 */
public final class ScanOp extends AbstractOpDefinition implements EvaluatesRegions {

    public static final String NAME = "nn.scan";

    public ScanOp() {
        super(NAME, "runs its region once per slice of its scanned inputs, carrying states and stacking outputs",
                new OpSchema(1, OpSchema.VARIADIC, OpSchema.VARIADIC, 1, List.of(
                        AttrSpec.required("num_scan_inputs", IntegerAttr.class),
                        AttrSpec.optional("scan_input_axes", ArrayAttr.class),
                        AttrSpec.optional("scan_input_directions", ArrayAttr.class),
                        AttrSpec.optional("scan_output_axes", ArrayAttr.class),
                        AttrSpec.optional("scan_output_directions", ArrayAttr.class)), false),
                Set.of(Trait.PURE));
    }

    /** How many of the operands are scanned inputs. */
    static int numScanInputs(Map<String, Attribute> attributes, int numOperands) {
        long m = ((IntegerAttr) attributes.get("num_scan_inputs")).value();
        if (m < 1 || m > numOperands) {
            throw new InvalidOpException("expects num_scan_inputs in 1.." + numOperands + " (the operand count), found "
                    + m);
        }
        return (int) m;
    }

    /** An array attribute of {@code size} entries, zeros when absent. */
    static long[] array(Map<String, Attribute> attributes, String name, int size) {
        long[] values = NnTypes.longs(attributes, name);
        if (values == null) {
            return new long[size];
        }
        if (values.length != size) {
            throw new InvalidOpException("expects " + size + " entries in '" + name + "', found " + values.length);
        }
        for (long v : values) {
            if (name.endsWith("directions") && v != 0 && v != 1) {
                throw new InvalidOpException("expects '" + name + "' entries of 0 (forward) or 1 (reverse), found " + v);
            }
        }
        return values;
    }

    /** The types of the block arguments: the states' types, then each scanned input without its axis. */
    public static List<Type> argumentTypes(List<? extends Type> operandTypes, Map<String, Attribute> attributes) {
        int m = numScanInputs(attributes, operandTypes.size());
        int n = operandTypes.size() - m;
        long[] axes = array(attributes, "scan_input_axes", m);
        List<Type> out = new ArrayList<>(operandTypes.subList(0, n));
        for (int i = 0; i < m; i++) {
            TensorType x = RegionBodies.tensor(operandTypes.get(n + i), "scanned input #" + i);
            if (axes[i] < 0 || axes[i] >= x.rank()) {
                throw new InvalidOpException("expects scan_input_axes[" + i + "] in 0.." + (x.rank() - 1) + " for "
                        + x.text() + ", found " + axes[i]);
            }
            out.add(RegionBodies.removeDim(x, (int) axes[i]));
        }
        return out;
    }

    /** The scan length L: the scanned inputs' common dim along their axes, {@code ?} when none is static. */
    static long length(List<? extends Type> operandTypes, Map<String, Attribute> attributes) {
        int m = numScanInputs(attributes, operandTypes.size());
        int n = operandTypes.size() - m;
        long[] axes = array(attributes, "scan_input_axes", m);
        long length = TensorType.DYNAMIC;
        for (int i = 0; i < m; i++) {
            long d = ((TensorType) operandTypes.get(n + i)).dim((int) axes[i]);
            if (d != TensorType.DYNAMIC && length != TensorType.DYNAMIC && d != length) {
                throw new InvalidOpException("expects the scanned inputs to have one length, found " + length
                        + " and " + d + " (scanned input #" + i + ")");
            }
            length = d == TensorType.DYNAMIC ? length : d;
        }
        return length;
    }

    /**
     * The result types: the states' block argument types ({@code argTypes}, which may be more
     * general than the initial values when an iteration changes a state's shape), then each
     * output's yield type with L inserted at its axis.
     */
    public static List<Type> resultTypes(List<? extends Type> operandTypes, Map<String, Attribute> attributes,
            List<? extends Type> argTypes, List<? extends Type> yieldTypes) {
        List<Type> args = new ArrayList<>(argTypes);
        int n = operandTypes.size() - numScanInputs(attributes, operandTypes.size());
        int k = yieldTypes.size() - n;
        if (k < 0) {
            throw new InvalidOpException("expects the body to yield at least " + n + " values (the states), found "
                    + yieldTypes.size());
        }
        long[] axes = array(attributes, "scan_output_axes", k);
        array(attributes, "scan_output_directions", k);
        long length = length(operandTypes, attributes);
        List<Type> out = new ArrayList<>(args.subList(0, n));
        for (int i = 0; i < k; i++) {
            TensorType y = RegionBodies.tensor(yieldTypes.get(n + i), "yield #" + (n + i));
            if (axes[i] < 0 || axes[i] > y.rank()) {
                throw new InvalidOpException("expects scan_output_axes[" + i + "] in 0.." + y.rank() + " for a yield of "
                        + y.text() + ", found " + axes[i]);
            }
            out.add(RegionBodies.insertDim(y, (int) axes[i], length));
        }
        return out;
    }

    @Override
    public void verify(Operation op) {
        List<Type> operandTypes = op.operandTypes();
        Block body = RegionBodies.body(op, 0);
        List<TensorType> args = RegionBodies.argumentTypes(body, 0);
        List<Type> expectedArgs = argumentTypes(operandTypes, op.attributes());
        array(op.attributes(), "scan_input_directions", numScanInputs(op.attributes(), operandTypes.size()));
        if (args.size() != expectedArgs.size()) {
            throw new InvalidOpException("expects the body to take " + expectedArgs.size() + " block arguments (one per"
                    + " operand), found " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            RegionBodies.requireCompatible((TensorType) expectedArgs.get(i), args.get(i), "what operand #" + i
                    + " passes to block argument #" + i);
        }
        List<TensorType> yields = RegionBodies.yieldedTypes(body, 0);
        int n = operandTypes.size() - numScanInputs(op.attributes(), operandTypes.size());
        for (int j = 0; j < n && j < yields.size(); j++) {
            RegionBodies.requireCompatible(yields.get(j), args.get(j), "yield #" + j + " (state #" + j + ")");
        }
        List<Type> expected = resultTypes(operandTypes, op.attributes(), args, yields);
        if (op.numResults() != expected.size()) {
            throw new InvalidOpException("expects " + expected.size() + " results (one per yield), found "
                    + op.numResults());
        }
        for (int i = 0; i < expected.size(); i++) {
            RegionBodies.requireCompatible(RegionBodies.tensor(op.result(i).type(), "result #" + i),
                    (TensorType) expected.get(i), "result #" + i);
        }
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands, RegionRunner regions) {
        Map<String, Attribute> attrs = op.attributes();
        int m = numScanInputs(attrs, operands.size());
        int n = operands.size() - m;
        long[] inAxes = array(attrs, "scan_input_axes", m);
        long[] inDirections = array(attrs, "scan_input_directions", m);
        List<TensorType> yieldTypes = RegionBodies.yieldedTypes(op.region(0).entryBlock(), 0);
        int k = yieldTypes.size() - n;
        long[] outAxes = array(attrs, "scan_output_axes", k);
        long[] outDirections = array(attrs, "scan_output_directions", k);
        long length = operands.get(n).type().dim((int) inAxes[0]);
        for (int i = 1; i < m; i++) {
            if (operands.get(n + i).type().dim((int) inAxes[i]) != length) {
                throw new IllegalArgumentException("scanned inputs have different lengths: " + length + " (input #0) and "
                        + operands.get(n + i).type().dim((int) inAxes[i]) + " (input #" + i + ")");
            }
        }
        List<DenseElementsAttr> states = new ArrayList<>(operands.subList(0, n));
        List<List<DenseElementsAttr>> outs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            outs.add(new ArrayList<>());
        }
        for (long t = 0; t < length; t++) {
            List<DenseElementsAttr> args = new ArrayList<>(states);
            for (int i = 0; i < m; i++) {
                long index = inDirections[i] == 1 ? length - 1 - t : t;
                args.add(RegionBodies.slice(operands.get(n + i), (int) inAxes[i], index));
            }
            List<DenseElementsAttr> out = regions.run(op.region(0), args);
            states = new ArrayList<>(out.subList(0, n));
            for (int i = 0; i < k; i++) {
                outs.get(i).add(out.get(n + i));
            }
        }
        List<DenseElementsAttr> results = new ArrayList<>(states);
        for (int i = 0; i < k; i++) {
            List<DenseElementsAttr> parts = outs.get(i);
            if (outDirections[i] == 1) {
                Collections.reverse(parts);
            }
            results.add(RegionBodies.stack(parts, (int) outAxes[i], yieldTypes.get(n + i), "output #" + i));
        }
        return results;
    }
}
