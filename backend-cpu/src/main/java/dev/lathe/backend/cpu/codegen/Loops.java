package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * The one loop shape every loop becomes: {@code for (iv = lb; iv < ub; iv += step)} with
 * carried values as header phis. The increment is {@code nsw}, so LLVM can compute trip counts;
 * lowered code never has bounds within one step of 2^63.
 */
final class Loops {

    private Loops() {}

    /**
     * Emits the loop at the builder's position; {@code body} emits one iteration given the
     * induction variable and carried values and returns the next carried values. Returns the
     * carried values after the loop; the builder is left in the exit block.
     */
    static List<LLVMValueRef> emit(Ir ir, FunctionScope scope, String label, LLVMValueRef lb, LLVMValueRef ub, LLVMValueRef step,
            List<LLVMValueRef> inits, BiFunction<LLVMValueRef, List<LLVMValueRef>, List<LLVMValueRef>> body) {
        LLVMBasicBlockRef preheader = ir.currentBlock();
        LLVMBasicBlockRef header = ir.appendBlock(scope.function, label + ".header");
        LLVMBasicBlockRef bodyBlock = ir.appendBlock(scope.function, label + ".body");
        LLVMBasicBlockRef exit = ir.appendBlock(scope.function, label + ".exit");
        LLVMBuildBr(ir.builder, header);

        ir.positionAtEnd(header);
        LLVMValueRef iv = LLVMBuildPhi(ir.builder, ir.types.i64, "iv");
        ir.addIncoming(iv, lb, preheader);
        List<LLVMValueRef> carried = new ArrayList<>();
        for (LLVMValueRef init : inits) {
            LLVMValueRef phi = LLVMBuildPhi(ir.builder, LLVMTypeOf(init), "");
            ir.addIncoming(phi, init, preheader);
            carried.add(phi);
        }
        LLVMBuildCondBr(ir.builder, LLVMBuildICmp(ir.builder, LLVMIntSLT, iv, ub, ""), bodyBlock, exit);

        ir.positionAtEnd(bodyBlock);
        List<LLVMValueRef> next = body.apply(iv, carried);
        if (next.size() != carried.size()) {
            throw new CodegenException(label + " body yields " + next.size() + " values for " + carried.size() + " carried ones");
        }
        LLVMValueRef nextIv = LLVMBuildNSWAdd(ir.builder, iv, step, "");
        LLVMBasicBlockRef latch = ir.currentBlock();
        LLVMBuildBr(ir.builder, header);
        ir.addIncoming(iv, nextIv, latch);
        for (int i = 0; i < carried.size(); i++) {
            ir.addIncoming(carried.get(i), next.get(i), latch);
        }
        ir.positionAtEnd(exit);
        return carried;
    }
}
