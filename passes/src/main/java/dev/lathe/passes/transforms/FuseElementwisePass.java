package dev.lathe.passes.transforms;

import dev.lathe.costmodel.CostModel;
import dev.lathe.costmodel.CostModels;
import dev.lathe.costmodel.KernelFeatures;
import dev.lathe.ir.Block;
import dev.lathe.ir.IRMapping;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpOperand;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.ConstantOp;
import dev.lathe.ir.dialect.nn.FusedOp;
import dev.lathe.ir.dialect.nn.YieldOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.lower.ElementwiseOpLowering;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code fuse-elementwise}: groups chains and DAGs of elementwise ops into one {@code nn.fused}
 * op each, so they run as one kernel that keeps intermediates in registers.
 *
 * <p>Walking each function body from the end, an elementwise op not yet fused roots a group;
 * producers of group members are absorbed, nearest first, when they are elementwise too, and
 * {@link CostModel#shouldFuse} (features of the producer's kernel, of the group's, and of the
 * merged one, which recomputes a producer of a smaller broadcast shape at every point of the
 * group's iteration space) says fusing is no slower. A producer whose result also has users
 * outside the group is fused only when its result has the root's shape and every outside user
 * comes after the root: it then becomes an extra result of the fused op (stored once, never
 * recomputed); otherwise it is left alone. One-element inline {@code nn.constant}s are copied
 * into the body as immediates; other values the group reads become operands. Fusible means
 * {@code ELEMENTWISE}, one static tensor result, and an elementwise body lowering to reuse
 * ({@link ElementwiseOpLowering}). A group of a single op is left as it is.
 *
 * <p>Options: {@code max-body-ops} (64): the most non-constant ops one group holds (bounds
 * register pressure and compile time). Counters: {@code groups-fused}, {@code ops-fused}
 * (non-constant ops moved into bodies), {@code extra-results}, {@code rejected-by-cost-model}.
 *
 * <pre>
 * %0 = "nn.add"(%x, %b) ...  %1 = "nn.relu"(%0) ...
 * // becomes
 * %1 = "nn.fused"(%x, %b) ({ ^bb0(%a, %c): %0 = "nn.add"(%a, %c) ... %1 = "nn.relu"(%0) ... "nn.yield"(%1) })
 * </pre>
 */
public final class FuseElementwisePass extends Pass {

    private final Option<Long> maxBodyOps = longOption("max-body-ops", 64,
            "the most non-constant ops one nn.fused body holds");
    private final PatternRewriter rewriter = new PatternRewriter();
    private final CostModel costModel = CostModels.defaultModel();
    private final Lowerings lowerings = Lowerings.builtin();

    @Override
    public String name() {
        return "fuse-elementwise";
    }

    @Override
    public String description() {
        return "group chains of elementwise ops into nn.fused ops (one kernel each), as the cost model advises";
    }

    @Override
    public void run(Module module, PassContext context) {
        List<Block> bodies = new ArrayList<>();
        module.walk((Operation op) -> {
            if (op.isA(FuncOps.FUNC) && !op.region(0).isEmpty()) {
                bodies.add(op.region(0).entryBlock());
            }
        });
        for (Block block : bodies) {
            fuseBlock(block, context);
        }
    }

    private void fuseBlock(Block block, PassContext context) {
        List<Operation> ops = new ArrayList<>(block.operations());
        Map<Operation, Integer> position = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            position.put(ops.get(i), i);
        }
        Set<Operation> taken = new java.util.HashSet<>();
        for (int i = ops.size() - 1; i >= 0; i--) {
            Operation root = ops.get(i);
            if (taken.contains(root) || !fusible(root)) {
                continue;
            }
            Group g = grow(root, position, taken, context);
            if (g.members.size() > 1) {
                taken.addAll(g.members);
                position.put(build(g, position), position.get(root));
                context.increment("groups-fused");
                context.add("ops-fused", g.members.size());
                context.add("extra-results", g.results.size() - 1);
            }
        }
    }

    /** An elementwise op with one static tensor result whose lowering has a reusable body. */
    private boolean fusible(Operation op) {
        if (!op.hasTrait(Trait.ELEMENTWISE) || op.numResults() != 1 || !op.regions().isEmpty()
                || op.isA(FusedOp.NAME) || !(op.result().type() instanceof TensorType t) || !t.hasStaticShape()
                || ElementwiseOpLowering.of(lowerings, op).isEmpty()) {
            return false;
        }
        for (Value v : op.operands()) {
            if (!(v.type() instanceof TensorType ot) || !ot.hasStaticShape()) {
                return false;
            }
        }
        return true;
    }

    /** A one-element inline constant: copied into bodies as an immediate rather than read. */
    static boolean isImmediate(Value v) {
        return v instanceof OpResult r && r.owner().isA(ConstantOp.NAME)
                && r.owner().attr("value") instanceof DenseElementsAttr d && d.numElements() == 1;
    }

    /** The ops of one future {@code nn.fused}: members, and the values it yields (the root's first). */
    private static final class Group {
        final Operation root;
        final Set<Operation> members = new LinkedHashSet<>();
        final List<Value> results = new ArrayList<>();

        Group(Operation root) {
            this.root = root;
            members.add(root);
            results.add(root.result());
        }
    }

    /** Absorbs producers, nearest first, while the cost model agrees. */
    private Group grow(Operation root, Map<Operation, Integer> position, Set<Operation> taken, PassContext context) {
        Group g = new Group(root);
        long rootElements = ((TensorType) root.result().type()).numElements();
        Set<Operation> rejected = new java.util.HashSet<>();
        boolean changed = true;
        while (changed && g.members.size() < maxBodyOps.get()) {
            changed = false;
            List<Operation> candidates = new ArrayList<>();
            for (Operation m : g.members) {
                for (Value v : m.operands()) {
                    if (v instanceof OpResult r && !g.members.contains(r.owner()) && !taken.contains(r.owner())
                            && r.owner().block() == root.block() && !isImmediate(v) && fusible(r.owner())
                            && !rejected.contains(r.owner()) && !candidates.contains(r.owner())) {
                        candidates.add(r.owner());
                    }
                }
            }
            candidates.sort(Comparator.comparing(position::get, Comparator.reverseOrder()));
            for (Operation p : candidates) {
                boolean outsideUsers = false;
                boolean usableAsResult = true;
                for (OpOperand use : p.result().uses()) {
                    Operation user = use.owner();
                    if (!g.members.contains(user)) {
                        outsideUsers = true;
                        Integer at = position.get(user);
                        usableAsResult &= at != null && at > position.get(root);
                    }
                }
                if (outsideUsers && !(usableAsResult && ((TensorType) p.result().type()).hasStaticShape()
                        && ((TensorType) p.result().type()).shape().equals(((TensorType) root.result().type()).shape()))) {
                    continue;
                }
                Group merged = new Group(root);
                merged.members.addAll(g.members);
                merged.members.add(p);
                merged.results.addAll(g.results.subList(1, g.results.size()));
                if (outsideUsers) {
                    merged.results.add(p.result());
                }
                KernelFeatures producer = features("producer", Set.of(p), List.of(p.result()),
                        ((TensorType) p.result().type()).numElements());
                KernelFeatures consumer = features("group", g.members, g.results, rootElements);
                KernelFeatures fused = features("fused", merged.members, merged.results, rootElements);
                if (!costModel.shouldFuse(producer, consumer, fused)) {
                    context.increment("rejected-by-cost-model");
                    rejected.add(p);
                    continue;
                }
                g.members.add(p);
                if (outsideUsers) {
                    g.results.add(p.result());
                }
                changed = true;
                break; // recollect candidates: p's operands are new ones
            }
        }
        return g;
    }

    /**
     * The kernel {@code members} make when run as one loop over {@code elements} points: every
     * member computed at every point (a broadcast producer recomputed), each value read from
     * outside loaded once per element of its own, the yielded values written.
     */
    private static KernelFeatures features(String name, Set<Operation> members, List<Value> results, long elements) {
        long flops = 0;
        long read = 0;
        Set<Value> inputs = new LinkedHashSet<>();
        for (Operation m : members) {
            flops += ElementwiseOpLowering.flopsPerElement(m) * elements;
            for (Value v : m.operands()) {
                if (!(v instanceof OpResult r && members.contains(r.owner())) && !isImmediate(v) && inputs.add(v)) {
                    read += bytes((TensorType) v.type());
                }
            }
        }
        long written = 0;
        for (Value r : results) {
            written += bytes((TensorType) r.type());
        }
        TensorType t = (TensorType) results.get(0).type();
        return new KernelFeatures(name, flops, read, written, List.of(Math.max(1, elements)), t.elementType(), List.of(),
                List.of());
    }

    private static long bytes(TensorType t) {
        return t.numElements() * t.elementType().byteSize();
    }

    /** Replaces the group by one {@code nn.fused} placed where its root was. */
    private Operation build(Group g, Map<Operation, Integer> position) {
        List<Operation> members = new ArrayList<>(g.members);
        members.sort(Comparator.comparing(position::get));
        Map<Value, Integer> operandIndex = new LinkedHashMap<>();
        List<Operation> immediates = new ArrayList<>();
        for (Operation m : members) {
            for (Value v : m.operands()) {
                if (v instanceof OpResult r && g.members.contains(r.owner())) {
                    continue;
                }
                if (isImmediate(v)) {
                    if (!immediates.contains(((OpResult) v).owner())) {
                        immediates.add(((OpResult) v).owner());
                    }
                } else {
                    operandIndex.putIfAbsent(v, operandIndex.size());
                }
            }
        }
        List<Value> operands = new ArrayList<>(operandIndex.keySet());
        List<Type> resultTypes = new ArrayList<>();
        for (Value r : g.results) {
            resultTypes.add(r.type());
        }
        Operation fused = Operation.create(FusedOp.NAME, operands, resultTypes, Map.of(), 1, g.root.location());
        Block body = new Block(operands.stream().map(Value::type).toList());
        fused.region(0).addBlock(body);
        IRMapping mapping = new IRMapping();
        for (int i = 0; i < operands.size(); i++) {
            mapping.map(operands.get(i), body.argument(i));
        }
        for (Operation c : immediates) {
            body.append(c.clone(mapping));
        }
        for (Operation m : members) {
            body.append(m.clone(mapping));
        }
        List<Value> yielded = g.results.stream().map(mapping::lookupOrDefault).toList();
        body.append(Operation.create(YieldOp.NAME, yielded, List.of(), Map.of(), g.root.location()));
        rewriter.setInsertionPointBefore(g.root);
        rewriter.insert(fused);
        for (int r = 0; r < g.results.size(); r++) {
            fused.result(r).setNameHint(g.results.get(r).nameHint());
            rewriter.replaceAllUsesWith(g.results.get(r), fused.result(r));
        }
        for (int i = members.size() - 1; i >= 0; i--) {
            rewriter.eraseOp(members.get(i));
        }
        for (Operation c : immediates) {
            if (!c.hasUsesOfResults()) {
                rewriter.eraseOp(c);
            }
        }
        return fused;
    }
}
