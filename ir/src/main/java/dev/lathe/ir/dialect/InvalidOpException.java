package dev.lathe.ir.dialect;

/**
 * Thrown by an op definition's verification or type inference with a message saying what was
 * expected and what was found; the verifier prefixes the op's location and name.
 */
public final class InvalidOpException extends RuntimeException {

    public InvalidOpException(String message) {
        super(message, null, false, false);
    }
}
