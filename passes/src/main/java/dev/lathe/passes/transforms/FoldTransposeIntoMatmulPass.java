package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.dialect.nn.MatmulOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.dialect.nn.TransposeOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code fold-transpose-into-matmul}: an {@code nn.transpose} that swaps only the last two dims of
 * an operand of {@code nn.matmul} becomes the matmul's {@code transpose_a} / {@code transpose_b}
 * attribute, so the product reads the untransposed tensor and no transposed copy is made.
 *
 * <p>Matches a matmul operand of rank 2 or more produced by {@code nn.transpose} whose
 * permutation is the identity but for the last two entries swapped, whose own operand is not an
 * {@code nn.constant} (fold-constants transposes constants at compile time, and a constant B in
 * its stored layout is what the CPU backend packs), on a matmul without that attribute already.
 * Exact: the interpreter and the lowering form the same sums in the same order. A transpose left
 * without users is erased; one with other users stays.
 *
 * <p>No options. Counters: {@code transposes-folded}, {@code ops-erased}.
 *
 * <pre>
 * %kt = "nn.transpose"(%k) {perm = [0, 2, 1]} : (tensor<4x16x8xf32>) -> tensor<4x8x16xf32>
 * %s = "nn.matmul"(%q, %kt) : (tensor<4x16x8xf32>, tensor<4x8x16xf32>) -> tensor<4x16x16xf32>
 * // becomes
 * %s = "nn.matmul"(%q, %k) {transpose_b = true} : (tensor<4x16x8xf32>, tensor<4x16x8xf32>) -> tensor<4x16x16xf32>
 * </pre>
 */
public final class FoldTransposeIntoMatmulPass extends Pass {

    private final PatternRewriter rewriter = new PatternRewriter();

    @Override
    public String name() {
        return "fold-transpose-into-matmul";
    }

    @Override
    public String description() {
        return "fold an nn.transpose of the last two dims of an nn.matmul operand into its transpose_a / transpose_b";
    }

    @Override
    public void run(Module module, PassContext context) {
        List<Operation> matmuls = new ArrayList<>();
        module.walk((Operation op) -> {
            if (op.isA(MatmulOp.NAME)) {
                matmuls.add(op);
            }
        });
        for (Operation m : matmuls) {
            fold(m, context);
        }
    }

    private void fold(Operation matmul, PassContext context) {
        Operation ta = swapOfLastTwo(matmul, 0);
        Operation tb = swapOfLastTwo(matmul, 1);
        if (ta == null && tb == null) {
            return;
        }
        Map<String, Attribute> attrs = new TreeMap<>(matmul.attributes());
        List<Value> operands = new ArrayList<>(matmul.operands());
        if (ta != null) {
            attrs.put("transpose_a", BoolAttr.of(true));
            operands.set(0, ta.operand(0));
        }
        if (tb != null) {
            attrs.put("transpose_b", BoolAttr.of(true));
            operands.set(1, tb.operand(0));
        }
        rewriter.setInsertionPointBefore(matmul);
        Operation folded = rewriter.insert(Operation.create(MatmulOp.NAME, operands, List.of(matmul.result().type()),
                attrs, matmul.location()));
        folded.result().setNameHint(matmul.result().nameHint());
        rewriter.replaceAllUsesWith(matmul.result(), folded.result());
        rewriter.eraseOp(matmul);
        long erased = 1;
        for (Operation t : new java.util.LinkedHashSet<>(java.util.Arrays.asList(ta, tb))) {
            if (t != null && !t.hasUsesOfResults()) {
                rewriter.eraseOp(t);
                erased++;
            }
        }
        context.add("transposes-folded", (ta != null ? 1 : 0) + (tb != null ? 1 : 0));
        context.add("ops-erased", erased - 1);
    }

    /** The transpose producing {@code matmul}'s operand {@code which} when it swaps only the last two dims, else null. */
    private static Operation swapOfLastTwo(Operation matmul, int which) {
        String attr = which == 0 ? "transpose_a" : "transpose_b";
        if (matmul.attr(attr) instanceof BoolAttr b && b.value()
                || !(matmul.operand(which) instanceof OpResult r) || !r.owner().isA(TransposeOp.NAME)) {
            return null;
        }
        Operation t = r.owner();
        if (t.operand(0) instanceof OpResult src && NnConstants.isConstant(src.owner())
                || !(t.operand(0).type() instanceof TensorType in) || in.rank() < 2) {
            return null;
        }
        int n = in.rank();
        int[] perm = TransposeOp.perm(t.attributes(), n);
        for (int d = 0; d < n - 2; d++) {
            if (perm[d] != d) {
                return null;
            }
        }
        return perm[n - 2] == n - 1 && perm[n - 1] == n - 2 ? t : null;
    }
}
