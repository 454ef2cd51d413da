package dev.lathe.backend.cpu;

import java.util.List;

/**
 * The result of compiling a lowered module for one target: the object file defining
 * {@code lathe_main}, what its callers need to know, and the weights blob it reads.
 * {@code moreObjects}: the other parts of a module compiled on several threads (JIT only, see
 * {@link dev.lathe.backend.cpu.llvm.SplitCodegen}); empty for one object, as an AOT build needs.
 */
public record CompiledObject(byte[] object, ModelSignature signature, List<String> assertionMessages, byte[] weights,
        String targetCpu, String targetFeatures, List<byte[]> moreObjects) {

    public CompiledObject {
        assertionMessages = List.copyOf(assertionMessages);
        moreObjects = List.copyOf(moreObjects);
    }

    public CompiledObject(byte[] object, ModelSignature signature, List<String> assertionMessages, byte[] weights,
            String targetCpu, String targetFeatures) {
        this(object, signature, assertionMessages, weights, targetCpu, targetFeatures, List.of());
    }

    /** The message of error code {@code code} (1-based) of {@code lathe_main}. */
    public String message(int code) {
        return code >= 1 && code <= assertionMessages.size() ? assertionMessages.get(code - 1)
                : "unknown error code " + code;
    }
}
