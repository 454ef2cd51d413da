package dev.lathe.backend.cpu;

/** A {@code loop.assert} of the model failed during a call; the message is the assertion's. */
public final class ModelAssertionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;

    public ModelAssertionException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The 1-based error code {@code lathe_main} returned. */
    public int code() {
        return code;
    }
}
