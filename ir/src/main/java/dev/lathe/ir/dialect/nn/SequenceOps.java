package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.OpDefinition;
import java.util.List;

/**
 * The sequence and optional family: ops on ONNX sequence and optional values
 * ({@code !nn.sequence<T>}, {@code !nn.optional<T>}). They run through
 * {@link dev.lathe.ir.interp.EvaluatesValues} on {@link dev.lathe.ir.interp.RuntimeValue}s, not
 * plain reference semantics, so folding (on tensors) leaves them alone.
 */
public final class SequenceOps {

    private SequenceOps() {}

    /** One instance of each op of the family, in documentation order. */
    public static List<OpDefinition> all() {
        return List.of(new SequenceConstructOp(), new SequenceEmptyOp(), new SequenceInsertOp(), new SequenceAtOp(),
                new SequenceEraseOp(), new SequenceLengthOp(), new SplitToSequenceOp(), new ConcatFromSequenceOp(),
                new SequenceMapOp(), new OptionalOp(), new OptionalHasElementOp(), new OptionalGetElementOp());
    }
}
