package dev.lathe.backend.cpu.jit;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.backend.cpu.llvm.Llvm;
import dev.lathe.backend.cpu.llvm.LlvmException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMOrcDefinitionGeneratorRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITRef;

/**
 * One ORC LLJIT holding the machine code of one model. Objects are linked in as compiled (the
 * JIT runs exactly the code an AOT build would ship); symbols the code leaves undefined, libm's
 * {@code expf} for one, resolve against the symbols already loaded into this process.
 */
final class OrcJit implements AutoCloseable {

    private LLVMOrcLLJITRef jit;

    OrcJit() {
        Llvm.initializeNativeTarget();
        LLVMOrcLLJITRef created = new LLVMOrcLLJITRef();
        Llvm.check(LLVMOrcCreateLLJIT(created, null), "creating an ORC LLJIT");
        jit = created;
        try (PointerPointer<LLVMOrcDefinitionGeneratorRef> generator = new PointerPointer<>(1)) {
            Llvm.check(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(generator,
                    LLVMOrcLLJITGetGlobalPrefix(jit), null, null), "searching this process for symbols");
            // The JITDylib takes ownership of the generator.
            LLVMOrcJITDylibAddGenerator(LLVMOrcLLJITGetMainJITDylib(jit),
                    generator.get(LLVMOrcDefinitionGeneratorRef.class, 0));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Links an object file (copied; the bytes may be dropped afterwards). */
    void addObject(byte[] object, String name) {
        LLVMMemoryBufferRef buffer;
        try (BytePointer bytes = new BytePointer(object); BytePointer bufferName = new BytePointer(name)) {
            buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(bytes, object.length, bufferName);
        }
        // Ownership of the buffer passes to the JIT, even when adding fails.
        Llvm.check(LLVMOrcLLJITAddObjectFile(jit(), LLVMOrcLLJITGetMainJITDylib(jit()), buffer), "adding " + name + " to the JIT");
    }

    /** The address of a defined symbol; materializes (links) the code on first lookup. */
    long lookup(String symbol) {
        long[] address = new long[1];
        Llvm.check(LLVMOrcLLJITLookup(jit(), address, symbol), "linking '" + symbol + "' in the JIT (LLVM names any"
                + " undefined symbol on stderr: the code calls a function this process does not have)");
        if (address[0] == 0) {
            throw new LlvmException("JIT symbol '" + symbol + "' resolved to address 0");
        }
        return address[0];
    }

    private LLVMOrcLLJITRef jit() {
        if (jit == null) {
            throw new IllegalStateException("the JIT was closed");
        }
        return jit;
    }

    @Override
    public void close() {
        if (jit != null) {
            LLVMOrcLLJITRef j = jit;
            jit = null;
            Llvm.check(LLVMOrcDisposeLLJIT(j), "disposing the JIT");
        }
    }
}
