package dev.lathe.ir.interp;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.List;

/**
 * Reference semantics for an op whose regions hold code (ONNX {@code If} and {@code Loop}, a
 * fused kernel's body): implemented by its {@link dev.lathe.ir.dialect.OpDefinition}, next to
 * the plain {@code evaluate}. The {@link Interpreter} calls this method instead of
 * {@code OpDefinition.evaluate} and hands it a {@link RegionRunner} that runs a region of the op
 * on given block arguments.
 *
 * <pre>{@code
 * public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands, RegionRunner regions) {
 *     boolean cond = operands.get(0).getLong(0) != 0;
 *     return regions.run(op.region(cond ? 0 : 1), List.of());
 * }
 * }</pre>
 *
 * Such a definition should leave {@code hasReferenceSemantics()} false: callers without a
 * region runner (such as {@code fold-constants}) then leave the op alone.
 */
public interface EvaluatesRegions {

    /**
     * The op's results for concrete operands. Shapes come from the operands and from what the
     * regions yield, never from possibly dynamic result types.
     */
    List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands, RegionRunner regions);
}
