package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.OpDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The elementwise family beyond {@code nn.add}..{@code nn.div} and {@code nn.relu}: the unary
 * math table ({@link UnaryMathOp}), comparisons and logical ops ({@link ComparisonOp}), the
 * n-ary max/min/sum/mean ({@link VariadicElementwiseOp}), {@code nn.pow}, {@code nn.mod},
 * {@code nn.bit_shift}, {@code nn.prelu}, {@code nn.where} and {@code nn.cast}.
 */
public final class ElementwiseOps {

    private ElementwiseOps() {}

    public static List<OpDefinition> all() {
        List<OpDefinition> ops = new ArrayList<>();
        ops.addAll(UnaryMathOp.all());
        ops.addAll(ComparisonOp.all());
        ops.addAll(VariadicElementwiseOp.all());
        ops.addAll(List.of(new PowOp(), new ModOp(), new BitShiftOp(), new PReluOp(), new WhereOp(), new CastOp()));
        return ops;
    }
}
