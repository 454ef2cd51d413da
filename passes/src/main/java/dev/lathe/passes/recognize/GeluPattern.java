package dev.lathe.passes.recognize;

import static dev.lathe.passes.recognize.GraphMatch.besideConstant;
import static dev.lathe.passes.recognize.GraphMatch.isConstant;
import static dev.lathe.passes.recognize.GraphMatch.soleProducer;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.AddOp;
import dev.lathe.ir.dialect.nn.GeluOp;
import dev.lathe.ir.dialect.nn.MulOp;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.rewrite.PatternRewriter;
import dev.lathe.passes.rewrite.RewritePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shape both GELU forms share, rooted at the outer {@code nn.mul}: the product of the three
 * factors {@code x}, {@code 0.5} and {@code 1 + f(x)} by two multiplications in any grouping and
 * operand order; subclasses match {@code f}. Every intermediate must have one use and x's type
 * (no broadcasting), so the rewrite replaces exactly the outer product.
 */
abstract class GeluPattern extends RewritePattern {

    /** The {@code approximate} attribute of the recognized {@code nn.gelu}. */
    abstract String approximate();

    /**
     * The ops computing {@code f(x)} into {@code f}, outermost first, each with one use, or null
     * when {@code f} is not this pattern's activation of {@code x}.
     */
    abstract List<Operation> matchActivation(Value f, Value x);

    @Override
    public String rootOpName() {
        return MulOp.NAME;
    }

    @Override
    public boolean matchAndRewrite(Operation root, PatternRewriter rewriter) {
        for (int i = 0; i < 2; i++) {
            Operation inner = soleProducer(root.operand(i), MulOp.NAME);
            if (inner == null) {
                continue;
            }
            List<Value> leaves = List.of(inner.operand(0), inner.operand(1), root.operand(1 - i));
            for (int half = 0; half < 3; half++) {
                for (int x = 0; x < 3; x++) {
                    if (half == x || !isConstant(leaves.get(half), 0.5)) {
                        continue;
                    }
                    Value input = leaves.get(x);
                    List<Operation> chain = matchOnePlus(leaves.get(3 - half - x), input);
                    if (chain != null && sameTypeAs(input, root, inner, chain)) {
                        Operation gelu = rewriter.create(GeluOp.NAME, List.of(input), List.of(input.type()),
                                Map.of("approximate", new StringAttr(approximate())), root.location());
                        rewriter.replaceOp(root, gelu.result());
                        return true;
                    }
                }
            }
        }
        return rewriter.notifyMatchFailure(root, "not a product x * 0.5 * (1 + f(x)) of this GELU form");
    }

    /** The ops computing {@code a = 1 + f(x)}, or null. */
    private List<Operation> matchOnePlus(Value a, Value x) {
        Operation add = soleProducer(a, AddOp.NAME);
        Value f = add == null ? null : besideConstant(add, 1.0);
        List<Operation> activation = f == null ? null : matchActivation(f, x);
        if (activation == null) {
            return null;
        }
        List<Operation> chain = new ArrayList<>(activation);
        chain.add(add);
        return chain;
    }

    private static boolean sameTypeAs(Value x, Operation root, Operation inner, List<Operation> chain) {
        if (!(x.type() instanceof TensorType t) || !t.elementType().isFloat()) {
            return false;
        }
        List<Operation> all = new ArrayList<>(chain);
        all.add(root);
        all.add(inner);
        return all.stream().allMatch(op -> op.result().type() == x.type());
    }
}
