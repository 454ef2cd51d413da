package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.loop.LoopOps;
import dev.lathe.ir.type.ScalarType;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * {@code loop.cast}, lane by lane: floats round to nearest even; float to integer truncates and
 * saturates with NaN giving 0 ({@code llvm.fptosi.sat}); integers extend per the source's
 * signedness; anything to i1 is {@code x != 0}; i1 to a number is 0 or 1.
 */
final class CastEmitters {

    private CastEmitters() {}

    static void register(Emitter e) {
        e.register(LoopOps.CAST, (op, s) -> s.put(op.result(), cast(e.ir, op, s.get(op, 0))));
    }

    static LLVMValueRef cast(Ir ir, Operation op, LLVMValueRef x) {
        ScalarType from = Elements.operand(op, 0);
        ScalarType to = Elements.of(op.result().type());
        LLVMTypeRef target = ir.types.of(op.result().type());
        LLVMBuilderRef b = ir.builder;
        if (from == to) {
            return x;
        }
        if (to == ScalarType.I1) {
            LLVMTypeRef type = LLVMTypeOf(x);
            return from.isFloat()
                    ? LLVMBuildFCmp(b, LLVMRealUNE, x, ir.floatLike(type, 0.0), "") // NaN != 0 holds
                    : LLVMBuildICmp(b, LLVMIntNE, x, ir.intLike(type, 0), "");
        }
        if (from.isFloat() && to.isFloat()) {
            int fromBits = Elements.bitWidth(from);
            int toBits = Elements.bitWidth(to);
            if (fromBits == toBits) {
                // f16 <-> bf16: f32 holds either exactly, so one rounding happens, on the way down.
                LLVMValueRef wide = LLVMBuildFPExt(b, x, ir.types.withElement(op.operand(0).type(), ScalarType.F32), "");
                return LLVMBuildFPTrunc(b, wide, target, "");
            }
            if (from == ScalarType.F64 && toBits == 16) {
                return LLVMBuildFPTrunc(b, toF32RoundToOdd(ir, op, x), target, "");
            }
            return fromBits < toBits ? LLVMBuildFPExt(b, x, target, "") : LLVMBuildFPTrunc(b, x, target, "");
        }
        if (from.isFloat()) {
            String sat = Elements.isSigned(to) ? "fptosi.sat" : "fptoui.sat";
            return ir.intrinsic(sat, new LLVMTypeRef[] {target, LLVMTypeOf(x)}, x);
        }
        boolean signedSource = Elements.isSigned(from);
        if (to.isFloat()) {
            return signedSource ? LLVMBuildSIToFP(b, x, target, "") : LLVMBuildUIToFP(b, x, target, "");
        }
        int fromBits = Elements.bitWidth(from);
        int toBits = Elements.bitWidth(to);
        if (fromBits == toBits) {
            return x;
        }
        if (fromBits > toBits) {
            return LLVMBuildTrunc(b, x, target, "");
        }
        return signedSource ? LLVMBuildSExt(b, x, target, "") : LLVMBuildZExt(b, x, target, "");
    }

    /**
     * f64 to f32 rounding to odd: truncate toward zero, then set the last bit when inexact. An
     * f32 rounded so keeps enough bits that rounding it to f16 or bf16 equals rounding the f64
     * once; LLVM would otherwise call compiler-rt's {@code __truncdfhf2} / {@code __truncdfbf2},
     * which a JIT process does not have.
     */
    private static LLVMValueRef toF32RoundToOdd(Ir ir, Operation op, LLVMValueRef x) {
        LLVMBuilderRef b = ir.builder;
        LLVMTypeRef f32 = ir.types.withElement(op.operand(0).type(), ScalarType.F32);
        LLVMTypeRef i32 = ir.types.withElement(op.operand(0).type(), ScalarType.I32);
        LLVMValueRef nearest = LLVMBuildFPTrunc(b, x, f32, "");
        LLVMValueRef back = LLVMBuildFPExt(b, nearest, LLVMTypeOf(x), "");
        LLVMValueRef inexact = LLVMBuildFCmp(b, LLVMRealONE, back, x, "");
        LLVMValueRef roundedAway = LLVMBuildFCmp(b, LLVMRealOGT, ir.intrinsic("fabs", back), ir.intrinsic("fabs", x), "");
        LLVMValueRef bits = LLVMBuildBitCast(b, nearest, i32, "");
        // Sign-magnitude: one less in the bit pattern is one ulp closer to zero, for either sign.
        LLVMValueRef towardZero = LLVMBuildSelect(b, roundedAway, LLVMBuildSub(b, bits, ir.intLike(i32, 1), ""), bits, "");
        LLVMValueRef odd = LLVMBuildSelect(b, inexact, LLVMBuildOr(b, towardZero, ir.intLike(i32, 1), ""), bits, "");
        return LLVMBuildBitCast(b, odd, f32, "");
    }
}
