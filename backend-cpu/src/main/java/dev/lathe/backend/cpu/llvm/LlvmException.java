package dev.lathe.backend.cpu.llvm;

/** LLVM refused something: a target, a pass pipeline, object emission, JIT linking. */
public class LlvmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LlvmException(String message) {
        super(message);
    }
}
