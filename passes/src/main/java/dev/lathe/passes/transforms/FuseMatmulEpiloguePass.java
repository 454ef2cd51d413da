package dev.lathe.passes.transforms;

import dev.lathe.costmodel.CostModel;
import dev.lathe.costmodel.CostModels;
import dev.lathe.costmodel.KernelFeatures;
import dev.lathe.ir.Block;
import dev.lathe.ir.IRMapping;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.dialect.nn.ConvOp;
import dev.lathe.ir.dialect.nn.FusedOp;
import dev.lathe.ir.dialect.nn.MatmulOp;
import dev.lathe.ir.dialect.nn.YieldOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.lower.ElementwiseOpLowering;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fuse-matmul-epilogue}: an {@code nn.matmul} whose only user is an elementwise op or an
 * elementwise {@code nn.fused} (a bias add, an activation, a residual add) becomes one
 * {@code nn.fused} whose body starts with the matmul: the product's kernel applies the
 * elementwise ops to its sums before storing them, so the product is written once and never
 * read back. Run after {@code fuse-elementwise}, which has already gathered the elementwise chain.
 * An {@code nn.conv} (with or without its own bias) is handled the same way: its epilogue (a
 * per-channel bias {@code [C, 1, 1]}, relu/clip/hard_swish, a residual of the conv's shape) runs
 * on the convolution's sums before the store.
 *
 * <p>Conditions: both ops in one block, static shapes, matmul operands of rank 2 or more, the
 * user has one result of exactly the product's shape and element type (its other operands
 * broadcast to it: a bias {@code [N]}, a residual {@code [..., M, N]}), and
 * {@link CostModel#shouldFuse} agrees (the matmul's kernel, the elementwise kernel, and the
 * fused one, which saves the product's store and reload). Exact: the body runs the same ops on
 * the same values. The fused op's operands are A, B (for a conv: X, W and its bias if any), then
 * the user's other operands.
 *
 * <p>No options. Counters: {@code epilogues-fused}, {@code rejected-by-cost-model}.
 *
 * <pre>
 * %0 = "nn.matmul"(%x, %w)   %1 = "nn.add"(%0, %b)
 * // becomes
 * %1 = "nn.fused"(%x, %w, %b) ({ ^bb0(%a, %c, %d): %0 = "nn.matmul"(%a, %c)  %1 = "nn.add"(%0, %d)  "nn.yield"(%1) })
 * </pre>
 */
public final class FuseMatmulEpiloguePass extends Pass {

    private final PatternRewriter rewriter = new PatternRewriter();
    private final CostModel costModel = CostModels.defaultModel();
    private final Lowerings lowerings = Lowerings.builtin();

    @Override
    public String name() {
        return "fuse-matmul-epilogue";
    }

    @Override
    public String description() {
        return "fold the elementwise user of an nn.matmul or nn.conv into its kernel (bias, activation, residual) as an nn.fused";
    }

    @Override
    public void run(Module module, PassContext context) {
        List<Operation> matmuls = new ArrayList<>();
        module.walk((Operation op) -> {
            if ((op.isA(MatmulOp.NAME) || op.isA(ConvOp.NAME))
                    && !(op.parentOp() != null && op.parentOp().isA(FusedOp.NAME))) {
                matmuls.add(op);
            }
        });
        for (Operation m : matmuls) {
            Operation user = candidate(m);
            if (user == null) {
                continue;
            }
            if (!costModel.shouldFuse(productFeatures(m, null), elementwiseFeatures(m, user), productFeatures(m, user))) {
                context.increment("rejected-by-cost-model");
                continue;
            }
            build(m, user);
            context.increment("epilogues-fused");
        }
    }

    /** The matmul's (conv's) one user when it can become the epilogue, else null. */
    private Operation candidate(Operation m) {
        if (m.numResults() != 1 || m.result().uses().size() != 1 || !(m.result().type() instanceof TensorType mt)
                || !mt.hasStaticShape() || mt.rank() < (m.isA(ConvOp.NAME) ? 3 : 2)) {
            return null;
        }
        for (Value v : m.operands()) {
            if (!(v.type() instanceof TensorType t) || !t.hasStaticShape() || t.rank() < (m.isA(ConvOp.NAME) ? 1 : 2)) {
                return null;
            }
        }
        Operation user = m.result().uses().get(0).owner();
        if (user.block() != m.block() || user.numResults() != 1 || !user.result().type().equals(mt)) {
            return null;
        }
        for (Value v : user.operands()) {
            if (!(v.type() instanceof TensorType t) || !t.hasStaticShape()) {
                return null;
            }
        }
        if (user.isA(FusedOp.NAME)) {
            for (Operation inner : user.region(0).entryBlock().operations()) {
                if (inner.isA(MatmulOp.NAME) || inner.isA(ConvOp.NAME)) {
                    return null;
                }
            }
            return user;
        }
        boolean elementwise = user.hasTrait(Trait.ELEMENTWISE) && user.regions().isEmpty()
                && ElementwiseOpLowering.of(lowerings, user).isPresent();
        return elementwise ? user : null;
    }

    /** Replaces {@code m} and {@code user} by one nn.fused at the user's place. */
    private void build(Operation m, Operation user) {
        Map<Value, Integer> operandIndex = new LinkedHashMap<>();
        for (Value v : m.operands()) {
            operandIndex.putIfAbsent(v, operandIndex.size());
        }
        for (Value v : user.operands()) {
            if (v != m.result()) {
                operandIndex.putIfAbsent(v, operandIndex.size());
            }
        }
        List<Value> operands = new ArrayList<>(operandIndex.keySet());
        Operation fused = Operation.create(FusedOp.NAME, operands, List.of(user.result().type()), Map.of(), 1,
                user.location());
        Block body = new Block(operands.stream().map(Value::type).toList());
        fused.region(0).addBlock(body);
        IRMapping mapping = new IRMapping();
        for (int i = 0; i < operands.size(); i++) {
            mapping.map(operands.get(i), body.argument(i));
        }
        body.append(m.clone(mapping));
        Value yielded;
        if (user.isA(FusedOp.NAME)) {
            // The user's body, its block arguments mapped to the new ones (the matmul's to its result).
            Block old = user.region(0).entryBlock();
            for (int i = 0; i < user.numOperands(); i++) {
                mapping.map(old.argument(i), mapping.lookupOrDefault(user.operand(i)));
            }
            for (Operation inner : old.operations()) {
                if (inner != old.last()) {
                    body.append(inner.clone(mapping));
                }
            }
            yielded = mapping.lookupOrDefault(old.last().operand(0));
        } else {
            Operation copy = user.clone(mapping);
            body.append(copy);
            yielded = copy.result();
        }
        body.append(Operation.create(YieldOp.NAME, List.of(yielded), List.of(), Map.of(), user.location()));
        rewriter.setInsertionPointBefore(user);
        rewriter.insert(fused);
        fused.result().setNameHint(user.result().nameHint());
        rewriter.replaceAllUsesWith(user.result(), fused.result());
        rewriter.eraseOp(user);
        rewriter.eraseOp(m);
    }

    private static long bytes(Value v) {
        TensorType t = (TensorType) v.type();
        return t.numElements() * t.elementType().byteSize();
    }

    /** Rows, columns (the stored width) and reduction depth of the product or convolution. */
    private static List<Long> productExtents(Operation m) {
        TensorType c = (TensorType) m.result().type();
        TensorType a = (TensorType) m.operand(m.isA(ConvOp.NAME) ? 1 : 0).type();
        long n = c.shapeArray()[c.rank() - 1];
        // A conv's depth is the taps per output (W's elements per filter).
        long k = m.isA(ConvOp.NAME) ? a.numElements() / Math.max(1, a.shapeArray()[0]) : a.shapeArray()[a.rank() - 1];
        return List.of(Math.max(1, c.numElements() / Math.max(1, n)), Math.max(1, n), Math.max(1, k));
    }

    /** The matmul or conv kernel alone ({@code user} null) or with {@code user} as its epilogue. */
    private static KernelFeatures productFeatures(Operation m, Operation user) {
        List<Long> e = productExtents(m);
        long read = 0;
        for (Value v : new java.util.LinkedHashSet<>(m.operands())) {
            read += bytes(v);
        }
        long flops = 2 * e.get(0) * e.get(1) * e.get(2);
        String kind = m.isA(ConvOp.NAME) ? "conv" : "matmul";
        if (user == null) {
            return new KernelFeatures(kind, flops, read, bytes(m.result()), e,
                    ((TensorType) m.result().type()).elementType(), List.of(2), List.of());
        }
        long elements = ((TensorType) user.result().type()).numElements();
        return new KernelFeatures(kind + "+epilogue", flops + epilogueFlops(user) * elements, read + otherReads(m, user),
                bytes(user.result()), e, ((TensorType) user.result().type()).elementType(), List.of(2), List.of());
    }

    /** Flops per element of the user's elementwise ops. */
    private static long epilogueFlops(Operation user) {
        if (!user.isA(FusedOp.NAME)) {
            return ElementwiseOpLowering.flopsPerElement(user);
        }
        long f = 0;
        for (Operation inner : user.region(0).entryBlock().operations()) {
            f += inner.isA(YieldOp.NAME) || inner.isA("nn.constant") ? 0 : ElementwiseOpLowering.flopsPerElement(inner);
        }
        return f;
    }

    private static long otherReads(Operation m, Operation user) {
        long read = 0;
        for (Value v : new java.util.LinkedHashSet<>(user.operands())) {
            read += v == m.result() ? 0 : bytes(v);
        }
        return read;
    }

    private static KernelFeatures elementwiseFeatures(Operation m, Operation user) {
        long elements = ((TensorType) user.result().type()).numElements();
        return new KernelFeatures("epilogue", epilogueFlops(user) * elements, bytes(m.result()) + otherReads(m, user),
                bytes(user.result()), List.of(Math.max(1, elements)), ((TensorType) user.result().type()).elementType(),
                List.of(), List.of());
    }
}
