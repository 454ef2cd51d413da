package dev.lathe.runtime.tier0;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.FrameDescriptor;
import com.oracle.truffle.api.frame.FrameSlotKind;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.RootNode;
import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.ConstantOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.interp.EvaluatesRegions;
import dev.lathe.ir.interp.EvaluatesValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One graph function as a Truffle root: its child nodes are the function's ops in block
 * (topological) order, one {@link OpNode} each; every value lives in a frame slot (arguments
 * first, then each op's results). A call takes the inputs in signature order as a host
 * {@code DenseElementsAttr[]}, records their types in the {@link GraphProfile}, and returns an
 * {@link Outcome} (results, or the exception an op threw: a plain Java exception does not cross
 * the polyglot boundary intact).
 */
final class GraphRootNode extends RootNode {

    /** The results, or the error that stopped the call. */
    record Outcome(DenseElementsAttr[] results, RuntimeException error) {}

    /** The graph prepared for the language: slots, nodes (not yet adopted) and the profile. */
    record Plan(String name, int numSlots, int numArgs, OpNode[] ops, int[] returned, GraphProfile profile) {}

    private final String name;
    private final int numArgs;
    private final GraphProfile profile;
    @Children private final OpNode[] ops;
    @CompilationFinal(dimensions = 1) private final int[] returned;

    GraphRootNode(NnLanguage language, Plan plan) {
        super(language, descriptor(plan.numSlots()));
        this.name = plan.name();
        this.numArgs = plan.numArgs();
        this.profile = plan.profile();
        this.ops = plan.ops();
        this.returned = plan.returned();
    }

    private static FrameDescriptor descriptor(int slots) {
        FrameDescriptor.Builder b = FrameDescriptor.newBuilder();
        b.addSlots(slots, FrameSlotKind.Object);
        return b.build();
    }

    @Override
    public Object execute(VirtualFrame frame) {
        NnLanguage.Env0 context = NnLanguage.context(this);
        DenseElementsAttr[] inputs = (DenseElementsAttr[]) context.env().asHostObject(frame.getArguments()[0]);
        Outcome outcome;
        try {
            record(inputs);
            outcome = new Outcome(run(frame, inputs), null);
        } catch (RuntimeException e) {
            outcome = new Outcome(null, e);
        }
        return context.env().asGuestValue(outcome);
    }

    @TruffleBoundary
    private void record(DenseElementsAttr[] inputs) {
        if (inputs.length != numArgs) {
            throw new IllegalArgumentException("'@" + name + "' takes " + numArgs + " inputs, given " + inputs.length);
        }
        profile.record(inputs);
    }

    @ExplodeLoop
    private DenseElementsAttr[] run(VirtualFrame frame, DenseElementsAttr[] inputs) {
        for (int i = 0; i < numArgs; i++) {
            frame.setObject(i, inputs[i]);
        }
        for (OpNode op : ops) {
            op.execute(frame);
        }
        DenseElementsAttr[] out = new DenseElementsAttr[returned.length];
        for (int i = 0; i < returned.length; i++) {
            out[i] = (DenseElementsAttr) frame.getObject(returned[i]);
        }
        return out;
    }

    @Override
    public String getName() {
        return "@" + name;
    }

    /**
     * Plans {@code fn} of {@code module}: slots, last uses and one node per op. Ops tier 0 does
     * not run (calls, ops with regions, sequence-valued ops) are refused here, before any call,
     * with an {@link UnsupportedOperationException} naming the op.
     */
    static Plan plan(Module module, Operation fn) {
        Block body = FuncOps.body(fn);
        List<Operation> ops = body.operations();
        Map<Value, Integer> slotOf = new IdentityHashMap<>();
        body.arguments().forEach(a -> slotOf.put(a, slotOf.size()));
        for (Operation op : ops) {
            op.results().forEach(r -> slotOf.put(r, slotOf.size()));
        }
        Operation terminator = ops.getLast();
        int[] lastUse = new int[slotOf.size()];
        Arrays.fill(lastUse, -1);
        for (int i = 0; i < ops.size() - 1; i++) {
            for (Value v : ops.get(i).operands()) {
                lastUse[slotOf.get(v)] = i;
            }
        }
        for (Value v : terminator.operands()) {
            lastUse[slotOf.get(v)] = Integer.MAX_VALUE; // returned: kept to the end
        }
        List<List<Integer>> dying = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            dying.add(new ArrayList<>());
        }
        for (int slot = 0; slot < lastUse.length; slot++) {
            if (lastUse[slot] >= 0 && lastUse[slot] < ops.size()) {
                dying.get(lastUse[slot]).add(slot);
            }
        }
        OpNode[] nodes = new OpNode[ops.size() - 1];
        for (int i = 0; i < nodes.length; i++) {
            Operation op = ops.get(i);
            int[] results = op.results().stream().mapToInt(slotOf::get).toArray();
            int[] free = dying.get(i).stream().mapToInt(Integer::intValue).toArray();
            nodes[i] = node(module, op, op.operands().stream().mapToInt(slotOf::get).toArray(), results, free);
        }
        int[] returned = terminator.operands().stream().mapToInt(slotOf::get).toArray();
        return new Plan(FuncOps.name(fn), slotOf.size(), body.numArguments(), nodes, returned, new GraphProfile());
    }

    private static OpNode node(Module module, Operation op, int[] operands, int[] results, int[] free) {
        if (op.isA(ConstantOp.NAME)) {
            return new OpNode.Constant(op, NnConstants.valueOf(op, module), results[0], free);
        }
        OpDefinition def = op.definition();
        if (op.isA(FuncOps.CALL) || def == null || def instanceof EvaluatesValues || def instanceof EvaluatesRegions
                || !def.hasReferenceSemantics() || !op.regions().isEmpty()) {
            throw new UnsupportedOperationException("tier 0 does not run '" + op.name() + "' (calls, ops with regions"
                    + " and sequence values run in the reference interpreter only)");
        }
        return new OpNode.Evaluate(op, def, operands, results, free);
    }
}
