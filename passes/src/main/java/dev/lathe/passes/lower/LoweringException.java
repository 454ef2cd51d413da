package dev.lathe.passes.lower;

/** A lowering cannot handle this op (yet, or with these attributes); the message says why. */
public final class LoweringException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LoweringException(String message) {
        super(message);
    }
}
