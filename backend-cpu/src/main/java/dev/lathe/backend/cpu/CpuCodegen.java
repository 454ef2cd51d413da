package dev.lathe.backend.cpu;

import dev.lathe.backend.cpu.codegen.LlvmModule;
import dev.lathe.backend.cpu.codegen.LoopToLlvm;
import dev.lathe.backend.cpu.codegen.ModelInfoGlobals;
import dev.lathe.backend.cpu.codegen.SerialParallelFor;
import dev.lathe.backend.cpu.llvm.Llvm;
import dev.lathe.backend.cpu.llvm.LlvmTarget;
import dev.lathe.backend.cpu.llvm.ObjectEmitter;
import dev.lathe.backend.cpu.llvm.Optimizer;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;

/** The pipeline both compilers share: loop IR to LLVM IR, O3 for the target, an object file. */
public final class CpuCodegen {

    private CpuCodegen() {}

    /** {@code targetCpu}: an LLVM CPU name, or null for this machine. {@code dump} may be null. */
    public static CompiledObject compile(Module loop, String targetCpu, DebugDump dump) {
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
