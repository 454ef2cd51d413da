package dev.lathe.frontend;

import dev.lathe.ir.Diagnostic;

/**
 * Abandons the construct being built (usually one operation) after an error; the builder
 * records the diagnostic and goes on with the next operation.
 */
final class ParseFailure extends RuntimeException {

    private final transient Diagnostic diagnostic;

    ParseFailure(Diagnostic diagnostic) {
        super(diagnostic.toString(), null, false, false);
        this.diagnostic = diagnostic;
    }

    Diagnostic diagnostic() {
        return diagnostic;
    }
}
