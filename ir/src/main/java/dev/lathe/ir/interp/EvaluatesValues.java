package dev.lathe.ir.interp;

import dev.lathe.ir.Operation;
import java.util.List;

/**
 * Reference semantics for an op whose operands or results may be sequences or optionals
 * ({@link RuntimeValue}), implemented by its {@link dev.lathe.ir.dialect.OpDefinition}. The
 * {@link Interpreter} checks for this interface first, before {@link EvaluatesRegions} and the
 * plain {@code evaluate}; {@code regions} runs the op's regions on runtime values
 * ({@link RegionRunner#runValues}) and is unusable for ops without regions.
 *
 * <pre>{@code
 * public List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions) {
 *     return List.of(RuntimeValue.of(DenseElementsAttr.fromLongs(I64, operands.get(0).elements("input").size())));
 * }
 * }</pre>
 *
 * Such a definition should leave {@code hasReferenceSemantics()} false, so that folding (which
 * works on tensors only) leaves the op alone.
 */
public interface EvaluatesValues {

    /** The op's results for concrete operands, one value per result. */
    List<RuntimeValue> evaluateValues(Operation op, List<RuntimeValue> operands, RegionRunner regions);
}
