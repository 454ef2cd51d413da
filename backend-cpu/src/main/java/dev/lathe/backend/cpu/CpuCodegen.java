package dev.lathe.backend.cpu;

import dev.lathe.backend.cpu.codegen.LlvmModule;
import dev.lathe.backend.cpu.codegen.LoopToLlvm;
import dev.lathe.backend.cpu.codegen.ModelInfoGlobals;
import dev.lathe.backend.cpu.codegen.SerialParallelFor;
import dev.lathe.backend.cpu.llvm.Llvm;
import dev.lathe.backend.cpu.llvm.LlvmTarget;
import dev.lathe.backend.cpu.llvm.ObjectEmitter;
import dev.lathe.backend.cpu.llvm.Optimizer;
import dev.lathe.backend.cpu.llvm.SplitCodegen;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import java.util.List;

/** The pipeline both compilers share: loop IR to LLVM IR, O3 for the target, an object file. */
public final class CpuCodegen {

    private CpuCodegen() {}

    /** {@code targetCpu}: an LLVM CPU name, or null for this machine. {@code dump} may be null. One object. */
    public static CompiledObject compile(Module loop, String targetCpu, DebugDump dump) {
        return compile(loop, targetCpu, dump, 1);
    }

    /**
     * Like {@link #compile(Module, String, DebugDump)}, with O3 and machine code on up to
     * {@code threads} threads ({@link SplitCodegen}: one object per part, for the JIT). One thread,
     * a debug dump, or a module that does not split gives one object.
     */
    public static CompiledObject compile(Module loop, String targetCpu, DebugDump dump, int threads) {
        if (dump != null) {
            dump.write(DebugDump.LOOP_IR, IRPrinter.print(loop));
        }
        ModelSignature signature = ModelSignature.of(loop);
        byte[] weights = CompilePhases.time("weights blob", () -> WeightsBlob.build(loop));
        try (LlvmTarget target = LlvmTarget.forCpu(targetCpu);
                LlvmModule llvm = CompilePhases.time("loop to LLVM IR", () -> LoopToLlvm.translate(loop, target))) {
            ModelInfoGlobals.define(llvm, signature.workspaceSize(), weights.length);
            SerialParallelFor.define(llvm);
            if (dump != null) {
                dump.write(DebugDump.LLVM_IR, Llvm.print(llvm.module()));
            }
            if (dump == null && threads > 1) {
                List<byte[]> parts = CompilePhases.time("LLVM O3 + machine code, split",
                        () -> SplitCodegen.compile(llvm.module(), target, threads));
                if (parts != null) {
                    return new CompiledObject(parts.get(0), signature, llvm.assertionMessages(), weights, target.cpu(),
                            target.features(), parts.subList(1, parts.size()));
                }
            }
            CompilePhases.time("LLVM O3", () -> Optimizer.optimize(llvm.module(), target));
            if (dump != null) {
                dump.write(DebugDump.OPTIMIZED_LLVM_IR, Llvm.print(llvm.module()));
                dump.write(DebugDump.ASSEMBLY, ObjectEmitter.emitAssembly(llvm.module(), target));
            }
            byte[] object = CompilePhases.time("LLVM machine code", () -> ObjectEmitter.emitObjectBytes(llvm.module(), target));
            return new CompiledObject(object, signature, llvm.assertionMessages(), weights, target.cpu(), target.features());
        }
    }
}
