package dev.lathe.backend.cpu.llvm;

import static org.bytedeco.llvm.global.LLVM.*;

import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;

/** Runs LLVM's {@code default<O3>} pipeline, tuned for a target machine, over a module in place. */
public final class Optimizer {

    public static final String PIPELINE = "default<O3>";

    private Optimizer() {}

    public static void optimize(LLVMModuleRef module, LlvmTarget target) {
        run(module, target, PIPELINE);
    }

    public static void run(LLVMModuleRef module, LlvmTarget target, String pipeline) {
        LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
        try {
            // Set explicitly: the C API's PipelineTuningOptions leave SLP vectorization off.
            LLVMPassBuilderOptionsSetLoopVectorization(options, 1);
            LLVMPassBuilderOptionsSetSLPVectorization(options, 1);
            LLVMPassBuilderOptionsSetLoopInterleaving(options, 1);
            LLVMPassBuilderOptionsSetLoopUnrolling(options, 1);
            Llvm.check(LLVMRunPasses(module, pipeline, target.machine(), options), "LLVM pass pipeline '" + pipeline + "'");
        } finally {
            LLVMDisposePassBuilderOptions(options);
        }
    }
}
