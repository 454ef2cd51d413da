package dev.lathe.cli.conformance;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.ExecutionListener;
import java.util.List;

/** Stops an interpreter run between two ops once its time is up, so one slow test cannot hang a suite. */
final class TimeLimit implements ExecutionListener {

    /** Thrown from the interpreter's listener hook when the limit is passed. */
    static final class Exceeded extends RuntimeException {
        Exceeded(long millis) {
            super("timed out after " + millis + " ms", null, false, false);
        }
    }

    private final long millis;
    private final long deadline;

    TimeLimit(long millis) {
        this.millis = millis;
        this.deadline = System.nanoTime() + millis * 1_000_000;
    }

    @Override
    public void afterOp(Operation op, List<DenseElementsAttr> results, long nanos, int liveValues) {
        if (System.nanoTime() > deadline) {
            throw new Exceeded(millis);
        }
    }
}
