package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.backend.cpu.math.VectorMath;
import dev.lathe.ir.Operation;
import dev.lathe.ir.type.ScalarType;
import java.util.Set;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Float functions. Exact ones (sqrt, floor, ceil, trunc, round-half-even) are LLVM intrinsics
 * at every width. Transcendentals compute f16 and bf16 in f32 and round once at the end; f32
 * exp, log, tanh and erf are {@link VectorMath}'s polynomials; otherwise f32 and f64 use an LLVM
 * intrinsic where LLVM has a long-standing one (exp, log, sin, cos, pow) and libm otherwise,
 * one call per lane for vectors.
 */
final class FloatFunctions {

    private static final Set<String> EXACT = Set.of("sqrt", "floor", "ceil", "trunc", "round");
    private static final Set<String> INTRINSIC = Set.of("exp", "log", "sin", "cos", "pow");

    private final Ir ir;

    private FloatFunctions(Ir ir) {
        this.ir = ir;
    }

    static void register(Emitter e) {
        FloatFunctions f = new FloatFunctions(e.ir);
        for (String fn : new String[] {"exp", "log", "sqrt", "tanh", "erf", "erfc", "sin", "cos", "tan", "asin", "acos", "atan",
                "sinh", "cosh", "asinh", "acosh", "atanh", "floor", "ceil", "round", "trunc"}) {
            e.register("loop." + fn, (op, s) -> s.put(op.result(), f.apply(op, fn, s.get(op, 0))));
        }
        e.register("loop.pow", (op, s) -> s.put(op.result(), f.apply(op, "pow", s.get(op, 0), s.get(op, 1))));
        e.register("loop.atan2", (op, s) -> s.put(op.result(), f.apply(op, "atan2", s.get(op, 0), s.get(op, 1))));
    }

    private LLVMValueRef apply(Operation op, String fn, LLVMValueRef... args) {
        ScalarType t = Elements.operand(op, 0);
        if (EXACT.contains(fn)) {
            return ir.intrinsic(fn.equals("round") ? "roundeven" : fn, args);
        }
        if (t == ScalarType.F16 || t == ScalarType.BF16) {
            LLVMTypeRef narrow = LLVMTypeOf(args[0]);
            LLVMTypeRef wide = ir.types.withElement(op.operand(0).type(), ScalarType.F32);
            LLVMValueRef[] widened = new LLVMValueRef[args.length];
            for (int i = 0; i < args.length; i++) {
                widened[i] = LLVMBuildFPExt(ir.builder, args[i], wide, "");
            }
            return LLVMBuildFPTrunc(ir.builder, transcendental(fn, ScalarType.F32, widened), narrow, "");
        }
        return transcendental(fn, t, args);
    }

    /** {@code fn} on f32 or f64 operands (scalars or vectors). */
    private LLVMValueRef transcendental(String fn, ScalarType t, LLVMValueRef... args) {
        if (t == ScalarType.F32 && args.length == 1) {
            // Lathe's branch-free exp/log/tanh/erf (null for other functions): they vectorize.
            LLVMValueRef own = VectorMath.emit(ir.module, ir.builder, fn, args[0]);
            if (own != null) {
                return own;
            }
        }
        if (INTRINSIC.contains(fn)) {
            return ir.intrinsic(fn, args);
        }
        return libm(t == ScalarType.F32 ? fn + "f" : fn, args);
    }

    /** Calls the C function lane by lane for vectors. */
    private LLVMValueRef libm(String name, LLVMValueRef... args) {
        LLVMTypeRef type = LLVMTypeOf(args[0]);
        if (LLVMGetTypeKind(type) != LLVMVectorTypeKind) {
            return ir.callC(name, type, args);
        }
        LLVMTypeRef element = LLVMGetElementType(type);
        LLVMValueRef result = LLVMGetPoison(type);
        for (int lane = 0; lane < LLVMGetVectorSize(type); lane++) {
            LLVMValueRef[] scalars = new LLVMValueRef[args.length];
            for (int i = 0; i < args.length; i++) {
                scalars[i] = LLVMBuildExtractElement(ir.builder, args[i], ir.i32(lane), "");
            }
            result = LLVMBuildInsertElement(ir.builder, result, ir.callC(name, element, scalars), ir.i32(lane), "");
        }
        return result;
    }
}
