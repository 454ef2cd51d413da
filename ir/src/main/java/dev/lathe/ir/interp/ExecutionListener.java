package dev.lathe.ir.interp;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.List;

/**
 * Observes a run op by op: for profiling, recording the shapes an op sees, or tracing. Passed
 * through {@link Interpreter.Options#withListener}; runs on the thread of the run, so a listener
 * shared by concurrent runs must be thread-safe.
 */
@FunctionalInterface
public interface ExecutionListener {

    /**
     * Called after each op has run and its results were checked, except terminators (whose
     * operands are the results of their block). For a {@code func.call} or an op with regions it
     * comes after the ops inside.
     *
     * @param op the op (of the interpreter's private copy of the module)
     * @param results its results
     * @param nanos wall time of the op, including the ops it ran inside
     * @param liveValues how many values the run holds after releasing every value past its
     *     last use (across all active functions and regions)
     */
    void afterOp(Operation op, List<DenseElementsAttr> results, long nanos, int liveValues);

    /**
     * What the interpreter calls after each op. By default it calls {@link #afterOp} when every
     * result is a tensor and does nothing for an op with a sequence or optional result; override
     * it to see those too.
     */
    default void afterOpValues(Operation op, List<RuntimeValue> results, long nanos, int liveValues) {
        if (results.stream().allMatch(r -> r instanceof RuntimeValue.TensorValue)) {
            afterOp(op, RuntimeValue.tensors(results, "result"), nanos, liveValues);
        }
    }
}
