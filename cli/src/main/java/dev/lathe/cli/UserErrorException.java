package dev.lathe.cli;

/** A problem with what the user asked for (missing file, bad flag combination): one line, no trace. */
public final class UserErrorException extends RuntimeException {

    public UserErrorException(String message) {
        super(message, null, false, false);
    }
}
