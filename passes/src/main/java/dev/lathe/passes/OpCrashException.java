package dev.lathe.passes;

import dev.lathe.ir.Operation;

/**
 * An unexpected exception while a pass worked on one op, wrapped so the pass manager can name
 * the op in its failure message. The original exception stays attached as the cause.
 */
public final class OpCrashException extends RuntimeException {

    private final transient Operation op;

    public OpCrashException(Operation op, String activity, RuntimeException cause) {
        super(activity + " " + op + ": " + cause, cause);
        this.op = op;
    }

    /** The op being processed when the exception happened (it may have been partly rewritten). */
    public Operation op() {
        return op;
    }
}
