package dev.lathe.backend.cpu.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTargetDataRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;

/**
 * One native target machine: the host triple, a CPU name and its feature string, optimizing at
 * O3 and emitting position-independent code (so one object serves both the JIT and a shared
 * library). Not thread-safe; each compilation makes its own.
 */
public final class LlvmTarget implements AutoCloseable {

    private final String triple;
    private final String cpu;
    private final String features;
    private LLVMTargetMachineRef machine;

    private LlvmTarget(String triple, String cpu, String features) {
        Llvm.initializeNativeTarget();
        this.triple = triple;
        this.cpu = cpu;
        this.features = features;
        LLVMTargetRef target = new LLVMTargetRef();
        BytePointer error = new BytePointer((Pointer) null);
        try (BytePointer tripleText = new BytePointer(triple)) {
            boolean failed = LLVMGetTargetFromTriple(tripleText, target, error) != 0;
            String message = Llvm.takeMessage(error);
            if (failed) {
                throw new LlvmException("no LLVM target for triple '" + triple + "': " + message);
            }
        }
        machine = LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelAggressive,
                LLVMRelocPIC, LLVMCodeModelDefault);
        if (machine == null || machine.isNull()) {
            throw new LlvmException("LLVM could not create a target machine for " + triple + " cpu '" + cpu + "'");
        }
    }

    /** The machine this process runs on, with every feature it has. */
    public static LlvmTarget host() {
        Llvm.initializeNativeTarget();
        return new LlvmTarget(hostTriple(), hostCpu(), Llvm.takeMessage(LLVMGetHostCPUFeatures()));
    }

    /**
     * The CPU named {@code cpu} (an LLVM name such as {@code x86-64-v3} or {@code skylake}) with
     * its default features; {@code null}, {@code "host"} or {@code "native"} mean {@link #host()}.
     */
    public static LlvmTarget forCpu(String cpu) {
        if (cpu == null || cpu.equals("host") || cpu.equals("native") || cpu.equals(hostCpu())) {
            return host();
        }
        String triple = hostTriple();
        if (!isKnownCpu(cpu)) {
            // LLVM only warns about an unknown CPU, then aborts the process on a generic 32-bit subtarget.
            throw new LlvmException("unknown target CPU '" + cpu + "'; expected an LLVM x86-64 CPU name such as"
                    + " x86-64-v3, skylake-avx512, icelake-server or znver4, or 'host'");
        }
        return new LlvmTarget(triple, cpu, "");
    }

    /** Whether LLVM accepts {@code cpu} for this host's architecture ("host" and "native" included). */
    public static boolean isKnownCpu(String cpu) {
        return cpu.equals("host") || cpu.equals("native") || !hostTriple().startsWith("x86_64")
                || knownX86Cpus().contains(cpu);
    }

    /** The x86-64 CPU names this LLVM accepts (a resource listing them). */
    static Set<String> knownX86Cpus() {
        try (InputStream in = LlvmTarget.class.getResourceAsStream("x86-64-cpus.txt")) {
            if (in == null) {
                throw new IllegalStateException("resource x86-64-cpus.txt is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another target machine for the same triple, CPU and features (one per thread). */
    public LlvmTarget copy() {
        return new LlvmTarget(triple, cpu, features);
    }

    public static String hostCpu() {
        Llvm.initializeNativeTarget();
        return Llvm.takeMessage(LLVMGetHostCPUName());
    }

    static String hostTriple() {
        return Llvm.takeMessage(LLVMGetDefaultTargetTriple());
    }

    public String triple() {
        return triple;
    }

    public String cpu() {
        return cpu;
    }

    public String features() {
        return features;
    }

    public LLVMTargetMachineRef machine() {
        if (machine == null) {
            throw new IllegalStateException("target machine already closed");
        }
        return machine;
    }

    /** Stamps the triple and data layout on a module, so the optimizer knows sizes and alignments. */
    public void configure(LLVMModuleRef module) {
        LLVMSetTarget(module, triple);
        LLVMTargetDataRef layout = LLVMCreateTargetDataLayout(machine());
        try {
            LLVMSetModuleDataLayout(module, layout);
        } finally {
            LLVMDisposeTargetData(layout);
        }
    }

    @Override
    public void close() {
        if (machine != null) {
            LLVMDisposeTargetMachine(machine);
            machine = null;
        }
    }
}
