package dev.lathe.backend.cpu.codegen;

import dev.lathe.ir.Operation;

/** The loop module cannot be compiled as given: an unsupported op, a missing attribute, a bad form. */
public final class CodegenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CodegenException(Operation op, String message) {
        super(op.location() + ": '" + op.name() + "': " + message);
    }

    public CodegenException(String message) {
        super(message);
    }
}
