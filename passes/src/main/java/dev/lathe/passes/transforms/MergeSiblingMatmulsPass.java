package dev.lathe.passes.transforms;

import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.dialect.nn.AddOp;
import dev.lathe.ir.dialect.nn.MatmulOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.dialect.nn.SliceOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code merge-sibling-matmuls}: {@code nn.matmul}s that read the same A with constant B operands
 * (a transformer layer's q, k and v projections) become one matmul with the B constants
 * concatenated along N, each optionally followed by its constant bias add (the biases
 * concatenated the same way); each old result becomes an {@code nn.slice} of the merged one's
 * last dim. One kernel then makes one pass over A and streams one wider B (which, once over half
 * of L2, the CPU backend packs at compile time), instead of one dispatch per product.
 *
 * <p>Members of a group: in one block, the same A value (static, rank 2 or more), neither
 * {@code transpose_a} nor {@code transpose_b}, B an {@code nn.constant} of static type
 * {@code [K, N_i]} with A's element type, depth K at least {@code min-depth} and at most
 * {@code max-rows} rows of A (batch dims included): each merged output element costs a slice
 * copy, which pays where the products stream B more than they compute (few rows; measured on
 * MiniLM below). A member is biased when its product's only user is an {@code nn.add} of it and
 * a constant {@code [N_i]} of the same element type, giving the product's type; biased and
 * unbiased members form separate groups (an add of zeros would turn -0 into +0), and a group of
 * one is left alone. A B or bias constant with other users stays for them; ones left unused are
 * erased, with the resource blobs no op refers to any more. Runs after {@code cse} (a shared A is one value) and
 * {@code fold-transpose-into-matmul}, before {@code fuse-elementwise} and
 * {@code fuse-matmul-epilogue}, so the merged product and its bias add become one fused kernel.
 *
 * <p>Exact: each output element is the same dot product over k in the same order, plus the same
 * bias; the slices copy it.
 *
 * <p>Measured on MiniLM (Ice Lake, AOT, 1 and 2 threads; docs/passes.md): at 16 rows the merged
 * q/k/v kernel took about 25% less time than the three it replaced while those read unpacked
 * weights; at 64 and 128 rows the merged product is no faster and the slices add 2-3% to the
 * q/k/v time, hence {@code max-rows} 32. Since every constant B over L1 is packed at compile
 * time the merge no longer pays at 16 rows either, so the default pipeline does not run it.
 *
 * <p>Options: {@code min-depth} (32), {@code max-rows} (32). Counters: {@code groups-merged},
 * {@code matmuls-merged}.
 *
 * <pre>
 * %q = "nn.matmul"(%x, %wq)   %q1 = "nn.add"(%q, %bq)      (the same for k and v)
 * // becomes
 * %p = "nn.matmul"(%x, %wqkv) : (tensor<1x16x384xf32>, tensor<384x1152xf32>) -> tensor<1x16x1152xf32>
 * %p1 = "nn.add"(%p, %bqkv)
 * %q1 = "nn.slice"(%p1) {starts = [0], ends = [384], axes = [2], steps = [1]}    (k: 384..768, v: 768..1152)
 * </pre>
 */
public final class MergeSiblingMatmulsPass extends Pass {

    private final Option<Long> minDepth = longOption("min-depth", 32,
            "products of a smaller depth K are not merged (the slice copies would cost more than they save)");
    private final Option<Long> maxRows = longOption("max-rows", 32,
            "products of more rows of A (all batch dims included) are not merged (the slice copies would cost more than they save)");

    private final PatternRewriter rewriter = new PatternRewriter();

    /** A matmul that may be merged, its bias add (or null) and the constants it reads. */
    private record Member(Operation matmul, Operation add, Operation b, Operation bias) {
        long n() {
            return ((TensorType) matmul.result().type()).shapeArray()[((TensorType) matmul.result().type()).rank() - 1];
        }

        Value last() {
            return add != null ? add.result() : matmul.result();
        }
    }

    @Override
    public String name() {
        return "merge-sibling-matmuls";
    }

    @Override
    public String description() {
        return "merge nn.matmuls of one A and constant Bs (with their constant bias adds) into one product, sliced";
    }

    @Override
    public void run(Module module, PassContext context) {
        // Groups by block, then A, then (depth, biased), in program order.
        Map<Block, Map<Value, Map<List<Object>, List<Member>>>> groups = new LinkedHashMap<>();
        module.walk((Operation op) -> {
            Member m = member(op);
            if (m != null) {
                TensorType a = (TensorType) op.operand(0).type();
                groups.computeIfAbsent(op.block(), k -> new IdentityHashMap<>())
                        .computeIfAbsent(op.operand(0), k -> new LinkedHashMap<>())
                        .computeIfAbsent(List.of(a.shapeArray()[a.rank() - 1], m.add() != null), k -> new ArrayList<>())
                        .add(m);
            }
        });
        Set<String> resources = new HashSet<>();
        for (var byA : groups.values()) {
            for (var byKey : byA.values()) {
                for (List<Member> group : byKey.values()) {
                    if (group.size() >= 2) {
                        merge(module, group, resources);
                        context.increment("groups-merged");
                        context.add("matmuls-merged", group.size());
                    }
                }
            }
        }
        ResourceConstants.dropUnreferenced(module, resources);
    }

    /** {@code op} as a group member, or null when it is not a mergeable matmul. */
    private Member member(Operation op) {
        if (!op.isA(MatmulOp.NAME) || op.numOperands() != 2 || op.numResults() != 1 || op.block() == null
                || isSet(op, "transpose_a") || isSet(op, "transpose_b")
                || !(op.operand(0).type() instanceof TensorType a) || !a.hasStaticShape() || a.rank() < 2
                || !(op.operand(1) instanceof OpResult br) || !NnConstants.isConstant(br.owner())
                || !(op.operand(1).type() instanceof TensorType b) || !b.hasStaticShape() || b.rank() != 2
                || !(op.result().type() instanceof TensorType c) || !c.hasStaticShape() || c.rank() != a.rank()
                || !b.elementType().equals(a.elementType()) || !c.elementType().equals(a.elementType())) {
            return null;
        }
        long k = a.shapeArray()[a.rank() - 1];
        if (b.shapeArray()[0] != k || k < minDepth.get() || a.numElements() / k > maxRows.get()) {
            return null;
        }
        Operation add = null;
        Operation bias = null;
        if (op.result().uses().size() == 1) {
            Operation user = op.result().uses().get(0).owner();
            if (user.isA(AddOp.NAME) && user.block() == op.block() && user.numOperands() == 2
                    && user.result().type().equals(c)) {
                Value other = user.operand(0) == op.result() ? user.operand(1) : user.operand(0);
                if (other != op.result() && other instanceof OpResult or && NnConstants.isConstant(or.owner())
                        && other.type() instanceof TensorType t && t.hasStaticShape() && t.rank() == 1
                        && t.shapeArray()[0] == c.shapeArray()[c.rank() - 1] && t.elementType().equals(c.elementType())) {
                    add = user;
                    bias = or.owner();
                }
            }
        }
        return new Member(op, add, br.owner(), bias);
    }

    private static boolean isSet(Operation op, String attr) {
        return op.attr(attr) instanceof BoolAttr flag && flag.value();
    }

    /** Replaces the group by one product (and bias add) and a slice per member, before the first member. */
    private void merge(Module module, List<Member> group, Set<String> resources) {
        Member first = group.get(0);
        TensorType a = (TensorType) first.matmul().operand(0).type();
        TensorType c0 = (TensorType) first.matmul().result().type();
        long k = a.shapeArray()[a.rank() - 1];
        long total = group.stream().mapToLong(Member::n).sum();
        long[] cShape = c0.shapeArray();
        cShape[cShape.length - 1] = total;
        TensorType c = TensorType.of(c0.elementType(), cShape);
        int es = c.elementType().byteSize();

        List<byte[]> bs = new ArrayList<>();
        List<byte[]> biases = new ArrayList<>();
        for (Member m : group) {
            bs.add(NnConstants.valueOf(m.b(), module).toBytes());
            if (m.bias() != null) {
                biases.add(NnConstants.valueOf(m.bias(), module).toBytes());
            }
        }
        rewriter.setInsertionPointBefore(first.matmul());
        Value b = constant(module, "merged_matmul_b", TensorType.of(c.elementType(), k, total), concatRows(bs, k, es),
                first.matmul());
        Operation product = rewriter.insert(Operation.create(MatmulOp.NAME, List.of(first.matmul().operand(0), b),
                List.of(c), first.matmul().attributes(), first.matmul().location()));
        Value out = product.result();
        if (first.add() != null) {
            Value bias = constant(module, "merged_matmul_bias", TensorType.of(c.elementType(), total),
                    concatRows(biases, 1, es), first.add());
            out = rewriter.insert(Operation.create(AddOp.NAME, List.of(out, bias), List.of(c), Map.of(),
                    first.add().location())).result();
        }
        long offset = 0;
        int axis = c.rank() - 1;
        for (Member m : group) {
            Map<String, Attribute> attrs = Map.of("starts", ArrayAttr.ofLongs(offset), "ends",
                    ArrayAttr.ofLongs(offset + m.n()), "axes", ArrayAttr.ofLongs(axis), "steps", ArrayAttr.ofLongs(1));
            Operation slice = rewriter.insert(Operation.create(SliceOp.NAME, List.of(out), List.of(m.last().type()),
                    attrs, (m.add() != null ? m.add() : m.matmul()).location()));
            slice.result().setNameHint(m.last().nameHint());
            rewriter.replaceAllUsesWith(m.last(), slice.result());
            offset += m.n();
        }
        for (Member m : group) {
            if (m.add() != null) {
                rewriter.eraseOp(m.add());
            }
            rewriter.eraseOp(m.matmul());
        }
        // After every member is gone: a B or bias shared by two members is unused only now.
        for (Member m : group) {
            for (Operation constant : new Operation[] {m.b(), m.bias()}) {
                if (constant != null && constant.block() != null && !constant.hasUsesOfResults()) {
                    if (constant.attr("value") instanceof DenseResourceAttr r) {
                        resources.add(r.name());
                    }
                    rewriter.eraseOp(constant);
                }
            }
        }
    }

    /**
     * A new constant holding {@code bytes}: inline when it has at most {@link #MAX_INLINE_ELEMENTS}
     * elements (as fold-constants does), else in a new 64-byte aligned resource blob.
     */
    private Value constant(Module module, String base, TensorType type, byte[] bytes, Operation at) {
        Attribute value;
        if (type.numElements() <= MAX_INLINE_ELEMENTS) {
            value = DenseElementsAttr.fromBytes(type, bytes);
        } else {
            value = ResourceConstants.resource(module, base, type, bytes);
        }
        return rewriter.insert(NnConstants.create(value, at.location())).result();
    }

    private static final long MAX_INLINE_ELEMENTS = 16;

    /** The row-major {@code [rows, N_i]} arrays side by side: {@code [rows, sum N_i]}. */
    private static byte[] concatRows(List<byte[]> parts, long rows, int elementBytes) {
        int total = 0;
        for (byte[] p : parts) {
            total += p.length;
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (int r = 0; r < rows; r++) {
            for (byte[] p : parts) {
                int row = (int) (p.length / rows);
                System.arraycopy(p, r * row, out, pos, row);
                pos += row;
            }
        }
        return out;
    }

}
