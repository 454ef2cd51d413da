package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Functions: each kernel becomes an internal function taking its IR arguments plus the
 * {@code lathe_rt*}; {@code @main} becomes the exported {@code lathe_main} of the C ABI, which
 * unpacks the input and output pointer arrays and returns {@code rt->error}.
 */
final class FunctionEmitters {

    private FunctionEmitters() {}

    static void register(Emitter e) {
        e.register(FuncOps.CALL, (op, s) -> emitCall(e, op, s));
        e.register(FuncOps.RETURN, (op, s) -> emitReturn(e, op, s));
    }

    /** Adds a function carrying the target's CPU and features (the optimizer reads them per function). */
    static LLVMValueRef define(Emitter e, String name, LLVMTypeRef type, boolean exported) {
        LLVMValueRef fn = LLVMAddFunction(e.ir.module, name, type);
        LLVMSetLinkage(fn, exported ? LLVMExternalLinkage : LLVMInternalLinkage);
        LLVMAddTargetDependentFunctionAttr(fn, "target-cpu", e.targetCpu);
        LLVMAddTargetDependentFunctionAttr(fn, "target-features", e.targetFeatures);
        int nounwind = LLVMGetEnumAttributeKindForName("nounwind", "nounwind".length());
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(e.ir.context, nounwind, 0));
        return fn;
    }

    /** Declares a kernel so that calls may precede its body. */
    static void declareKernel(Emitter e, Operation func) {
        String name = FuncOps.name(func);
        FunctionType ft = FuncOps.type(func);
        if (ft.results().size() > 1) {
            throw new CodegenException(func, "@" + name + " returns " + ft.results().size() + " values; kernels return at most one");
        }
        List<LLVMTypeRef> params = new ArrayList<>();
        for (Type t : ft.inputs()) {
            params.add(e.ir.types.of(t));
        }
        params.add(e.ir.types.ptr); // lathe_rt*
        LLVMTypeRef result = ft.results().isEmpty() ? e.ir.types.voidType : e.ir.types.of(ft.results().get(0));
        LLVMTypeRef type = e.ir.functionType(result, params.toArray(LLVMTypeRef[]::new));
        e.declareFunction(name, new Emitter.Function(define(e, "lathe." + name, type, false), type, ft.results().size()));
    }

    static void emitKernel(Emitter e, Operation func) {
        String name = FuncOps.name(func);
        Emitter.Function fn = e.function(func, name);
        LLVMBasicBlockRef entry = e.ir.appendBlock(fn.value(), "entry");
        e.ir.positionAtEnd(entry);
        Block body = FuncOps.body(func);
        LLVMValueRef rt = LLVMGetParam(fn.value(), body.numArguments());
        FunctionScope scope = new FunctionScope(fn.value(), name, entry, rt, null, null, true);
        for (int i = 0; i < body.numArguments(); i++) {
            scope.put(body.argument(i), LLVMGetParam(fn.value(), i));
        }
        emitBody(e, func, body, scope);
    }

    /**
     * {@code lathe_main}: argument i of {@code @main} is {@code inputs[i]} for the first
     * {@code nInputs}, then {@code outputs[i - nInputs]}.
     */
    static void emitMain(Emitter e, Operation main, int nInputs) {
        Ir ir = e.ir;
        LLVMTypeRef type = RuntimeAbi.mainType(ir);
        LLVMValueRef fn = define(e, RuntimeAbi.ENTRY, type, true);
        LLVMBasicBlockRef entry = ir.appendBlock(fn, "entry");
        ir.positionAtEnd(entry);
        FunctionScope scope = new FunctionScope(fn, RuntimeAbi.ENTRY, entry, LLVMGetParam(fn, 4), LLVMGetParam(fn, 2),
                LLVMGetParam(fn, 3), true);
        Block body = FuncOps.body(main);
        for (int i = 0; i < body.numArguments(); i++) {
            boolean input = i < nInputs;
            LLVMValueRef array = LLVMGetParam(fn, input ? 0 : 1);
            LLVMValueRef slot = ir.elementPointer(ir.types.ptr, array, ir.i64(input ? i : i - nInputs));
            scope.put(body.argument(i), LLVMBuildLoad2(ir.builder, ir.types.ptr, slot, body.argument(i).nameHint() == null
                    ? "" : body.argument(i).nameHint()));
        }
        emitBody(e, main, body, scope);
    }

    private static void emitBody(Emitter e, Operation func, Block body, FunctionScope scope) {
        e.emitBlock(body, scope);
        Operation last = body.last();
        if (last == null || !last.isA(FuncOps.RETURN)) {
            throw new CodegenException(func, "@" + FuncOps.name(func) + " must end in func.return");
        }
    }

    private static void emitCall(Emitter e, Operation op, FunctionScope s) {
        Emitter.Function callee = e.function(op, FuncOps.callee(op));
        List<LLVMValueRef> args = new ArrayList<>();
        for (Value v : op.operands()) {
            args.add(s.get(v));
        }
        args.add(s.rt);
        if (op.numResults() != callee.results()) {
            throw new CodegenException(op, "expects " + op.numResults() + " results from @" + FuncOps.callee(op)
                    + ", which returns " + callee.results());
        }
        LLVMValueRef r = e.ir.call(callee.type(), callee.value(), args.toArray(LLVMValueRef[]::new));
        if (op.numResults() == 1) {
            s.put(op.result(), r);
        }
    }

    private static void emitReturn(Emitter e, Operation op, FunctionScope s) {
        Ir ir = e.ir;
        if (s.name.equals(RuntimeAbi.ENTRY)) {
            if (op.numOperands() != 0) {
                throw new CodegenException(op, "@main returns nothing: outputs are written to its output arguments");
            }
            LLVMValueRef errorField = LLVMBuildStructGEP2(ir.builder, RuntimeAbi.rtType(ir), s.rt, RuntimeAbi.RT_ERROR, "");
            LLVMValueRef error = LLVMBuildLoad2(ir.builder, ir.types.i32, errorField, "error");
            LLVMSetOrdering(error, LLVMAtomicOrderingMonotonic);
            LLVMSetAlignment(error, 4);
            LLVMBuildRet(ir.builder, error);
        } else if (op.numOperands() == 0) {
            LLVMBuildRetVoid(ir.builder);
        } else {
            LLVMBuildRet(ir.builder, s.get(op, 0));
        }
    }
}
