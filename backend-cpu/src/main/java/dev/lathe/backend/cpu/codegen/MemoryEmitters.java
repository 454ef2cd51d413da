package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.loop.LoopOps;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Buffers and element access. A memref is a bare pointer: shapes are static, so the address of
 * {@code m[i, j]} is {@code m + (i * stride0 + j)} elements, an in-bounds GEP (the lowering
 * keeps every access in bounds). Accesses assume element alignment only. Workspace buffers and
 * weights are the call's workspace or weights pointer plus the planned offset.
 */
final class MemoryEmitters {

    private MemoryEmitters() {}

    static void register(Emitter e) {
        Ir ir = e.ir;
        e.register(LoopOps.LOAD, (op, s) -> s.put(op.result(), load(ir, op, s, op.result().type() instanceof ScalarType)));
        e.register(LoopOps.VLOAD, (op, s) -> s.put(op.result(), load(ir, op, s, false)));
        e.register(LoopOps.STORE, (op, s) -> store(ir, op, s));
        e.register(LoopOps.VSTORE, (op, s) -> store(ir, op, s));
        e.register(LoopOps.PREFETCH, (op, s) -> prefetch(ir, op, s));
        e.register(LoopOps.VIEW, (op, s) -> s.put(op.result(), s.get(op, 0)));
        e.register(LoopOps.ALLOCA, (op, s) -> {
            MemRefType m = (MemRefType) op.result().type();
            LLVMTypeRef array = LLVMArrayType2(ir.types.memoryElement(m.elementType()), m.numElements());
            s.put(op.result(), s.alloca(ir, array, 64));
        });
        e.register(LoopOps.ALLOC, (op, s) -> s.put(op.result(), atOffset(ir, op, s.workspace, "workspace",
                "plan-buffers assigns workspace offsets")));
        e.register(LoopOps.WEIGHT, (op, s) -> s.put(op.result(), atOffset(ir, op, s.weights, "weights",
                "plan-buffers assigns weight offsets")));
    }

    private static LLVMValueRef atOffset(Ir ir, Operation op, LLVMValueRef base, String what, String hint) {
        if (base == null) {
            throw new CodegenException(op, "allowed only in @main, where the " + what + " pointer is");
        }
        if (!(op.attr("offset") instanceof IntegerAttr offset)) {
            throw new CodegenException(op, "has no 'offset' attribute (" + hint + ")");
        }
        return ir.elementPointer(ir.types.i8, base, ir.i64(offset.value()));
    }

    /** Loads one element or (vload) a vector of consecutive ones; i1 bytes become i1 lanes. */
    private static LLVMValueRef load(Ir ir, Operation op, FunctionScope s, boolean scalar) {
        MemRefType m = (MemRefType) op.operand(0).type();
        LLVMValueRef address = address(ir, op, s, 0, 1, m);
        LLVMTypeRef memType = ir.types.memoryOf(op.result().type());
        LLVMValueRef v = LLVMBuildLoad2(ir.builder, memType, address, "");
        LLVMSetAlignment(v, m.elementType().byteSize());
        if (m.elementType() == ScalarType.I1) {
            v = LLVMBuildTrunc(ir.builder, v, ir.types.of(op.result().type()), "");
        }
        return v;
    }

    private static void store(Ir ir, Operation op, FunctionScope s) {
        MemRefType m = (MemRefType) op.operand(1).type();
        LLVMValueRef value = s.get(op, 0);
        if (m.elementType() == ScalarType.I1) {
            value = LLVMBuildZExt(ir.builder, value, ir.types.memoryOf(op.operand(0).type()), "");
        }
        LLVMValueRef address = address(ir, op, s, 1, 2, m);
        LLVMValueRef st = LLVMBuildStore(ir.builder, value, address);
        LLVMSetAlignment(st, m.elementType().byteSize());
    }

    /**
     * {@code llvm.prefetch(&memref[indices], write, locality, data cache)}. The address may lie
     * outside the buffer (the op allows it), so it is computed with wrapping arithmetic and a
     * plain GEP: an in-bounds one would make such an address poison.
     */
    private static void prefetch(Ir ir, Operation op, FunctionScope s) {
        MemRefType m = (MemRefType) op.operand(0).type();
        LLVMValueRef address = address(ir, op, s, 0, 1, m, false);
        boolean write = op.attr("write") instanceof BoolAttr w && w.value();
        long locality = op.attr("locality") instanceof IntegerAttr l ? l.value() : 3;
        ir.intrinsic("prefetch", new LLVMTypeRef[] {ir.types.ptr}, address,
                LLVMConstInt(ir.types.i32, write ? 1 : 0, 0), LLVMConstInt(ir.types.i32, locality, 0),
                LLVMConstInt(ir.types.i32, 1, 0));
    }

    /** {@code &memref[indices]} with the memref at operand {@code memrefOperand}, indices from {@code firstIndex}. */
    private static LLVMValueRef address(Ir ir, Operation op, FunctionScope s, int memrefOperand, int firstIndex, MemRefType m) {
        return address(ir, op, s, memrefOperand, firstIndex, m, true);
    }

    /**
     * The same; {@code inBounds}: the address lies in the buffer (loads and stores), so the index
     * arithmetic cannot wrap and the GEP is in bounds, which lets LLVM reason about it.
     */
    private static LLVMValueRef address(Ir ir, Operation op, FunctionScope s, int memrefOperand, int firstIndex, MemRefType m,
            boolean inBounds) {
        LLVMValueRef base = s.get(op, memrefOperand);
        if (op.numOperands() - firstIndex != m.rank()) {
            throw new CodegenException(op, m.text() + " needs " + m.rank() + " indices, found " + (op.numOperands() - firstIndex));
        }
        if (m.rank() == 0) {
            return base;
        }
        long[] strides = m.strides();
        LLVMValueRef linear = null;
        for (int i = 0; i < strides.length; i++) {
            LLVMValueRef term = s.get(op, firstIndex + i);
            if (strides[i] != 1) {
                term = inBounds ? LLVMBuildNSWMul(ir.builder, term, ir.i64(strides[i]), "")
                        : LLVMBuildMul(ir.builder, term, ir.i64(strides[i]), "");
            }
            linear = linear == null ? term
                    : inBounds ? LLVMBuildNSWAdd(ir.builder, linear, term, "") : LLVMBuildAdd(ir.builder, linear, term, "");
        }
        if (inBounds) {
            return ir.elementPointer(ir.types.memoryElement(m.elementType()), base, linear);
        }
        try (PointerPointer<LLVMValueRef> index = new PointerPointer<>(new LLVMValueRef[] {linear})) {
            return LLVMBuildGEP2(ir.builder, ir.types.memoryElement(m.elementType()), base, index, 1, "");
        }
    }
}
