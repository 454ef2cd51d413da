package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * What the emitters need while filling one LLVM function: the LLVM value of each IR value in
 * scope, the {@code lathe_rt*} of the call, the entry block (stack slots go there, so loops do
 * not grow the stack) and, in {@code lathe_main} only, the weights and workspace pointers.
 */
final class FunctionScope {

    final LLVMValueRef function;
    final String name;
    final LLVMValueRef rt;
    /** Null outside {@code lathe_main}. */
    final LLVMValueRef weights;
    final LLVMValueRef workspace;
    /** False inside an outlined parallel body: nested parallel loops run sequentially there. */
    final boolean mayOutlineParallel;
    private final LLVMBasicBlockRef entry;
    private final Map<Value, LLVMValueRef> values = new IdentityHashMap<>();
    private int outlined;

    FunctionScope(LLVMValueRef function, String name, LLVMBasicBlockRef entry, LLVMValueRef rt, LLVMValueRef weights,
            LLVMValueRef workspace, boolean mayOutlineParallel) {
        this.function = function;
        this.name = name;
        this.entry = entry;
        this.rt = rt;
        this.weights = weights;
        this.workspace = workspace;
        this.mayOutlineParallel = mayOutlineParallel;
    }

    LLVMValueRef get(Value v) {
        LLVMValueRef r = values.get(v);
        if (r == null) {
            throw new CodegenException("value " + v + " is used in " + name + " but was not defined before (or in scope)");
        }
        return r;
    }

    LLVMValueRef get(Operation op, int operand) {
        return get(op.operand(operand));
    }

    void put(Value v, LLVMValueRef r) {
        values.put(v, r);
    }

    /** A stack slot in the entry block, whatever block the builder is in now. */
    LLVMValueRef alloca(Ir ir, LLVMTypeRef type, int alignment) {
        LLVMBasicBlockRef current = ir.currentBlock();
        LLVMValueRef first = LLVMGetFirstInstruction(entry);
        if (first == null || first.isNull()) {
            ir.positionAtEnd(entry);
        } else {
            LLVMPositionBuilderBefore(ir.builder, first);
        }
        LLVMValueRef slot = LLVMBuildAlloca(ir.builder, type, "");
        LLVMSetAlignment(slot, alignment);
        ir.positionAtEnd(current);
        return slot;
    }

    /** A fresh name for the next function outlined out of this one. */
    String nextOutlinedName() {
        return name + ".parallel." + outlined++;
    }
}
