package dev.lathe.backend.cpu;

import java.util.List;

/**
 * The result of compiling a lowered module for one target: the object file defining
 * {@code lathe_main}, what its callers need to know, and the weights blob it reads.
 */
public record CompiledObject(byte[] object, ModelSignature signature, List<String> assertionMessages, byte[] weights,
        String targetCpu, String targetFeatures) {

    public CompiledObject {
        assertionMessages = List.copyOf(assertionMessages);
    }

    /** The message of error code {@code code} (1-based) of {@code lathe_main}. */
    public String message(int code) {
        return code >= 1 && code <= assertionMessages.size() ? assertionMessages.get(code - 1)
                : "unknown error code " + code;
    }
}
