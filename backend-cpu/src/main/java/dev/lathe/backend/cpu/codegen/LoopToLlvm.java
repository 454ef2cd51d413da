package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.backend.cpu.ModelSignature;
import dev.lathe.backend.cpu.llvm.Llvm;
import dev.lathe.backend.cpu.llvm.LlvmTarget;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.func.FuncOps;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;

/**
 * Translates a lowered module (loop dialect: {@code @main} plus kernels) into an LLVM module for
 * a target: kernels become internal functions, {@code @main} the exported {@code lathe_main}.
 * No fast-math flags anywhere: results follow IEEE and the loop dialect's stated semantics.
 */
public final class LoopToLlvm {

    private LoopToLlvm() {}

    public static LlvmModule translate(Module loop, LlvmTarget target) {
        Operation main = ModelSignature.main(loop);
        int nInputs = ModelSignature.of(loop).inputs().size();
        LLVMContextRef context = LLVMContextCreate();
        LLVMModuleRef module = LLVMModuleCreateWithNameInContext("lathe", context);
        LLVMBuilderRef builder = LLVMCreateBuilderInContext(context);
        try {
            target.configure(module);
            Emitter e = new Emitter(new Ir(context, module, builder), target.cpu(), target.features());
            List<Operation> kernels = new ArrayList<>();
            for (Operation fn : loop.functions()) {
                if (fn == main) {
                    continue;
                }
                if (FuncOps.isDeclaration(fn)) {
                    throw new CodegenException(fn, "@" + FuncOps.name(fn) + " has no body; the CPU backend links no external kernels");
                }
                FunctionEmitters.declareKernel(e, fn);
                kernels.add(fn);
            }
            for (Operation fn : kernels) {
                FunctionEmitters.emitKernel(e, fn);
            }
            FunctionEmitters.emitMain(e, main, nInputs);
            SoftFloatSupport.define(e.ir);
            Llvm.verify(module);
            return new LlvmModule(context, module, e.messages());
        } catch (RuntimeException ex) {
            LLVMDisposeModule(module);
            LLVMContextDispose(context);
            throw ex;
        } finally {
            LLVMDisposeBuilder(builder);
        }
    }
}
