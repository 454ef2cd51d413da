package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.loop.LoopOps;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.VectorType;
import org.bytedeco.llvm.LLVM.LLVMBuilderRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Elementwise integer and float arithmetic, comparisons, selects and vector lane ops. Floats
 * are strict IEEE (no fast-math flags); integer ops never reach LLVM's undefined behaviour:
 * division by zero gives 0, {@code MIN / -1} wraps, oversized shift counts give 0 (or -1).
 */
final class ArithmeticEmitters {

    private final Ir ir;
    private final LLVMBuilderRef b;

    private ArithmeticEmitters(Ir ir) {
        this.ir = ir;
        this.b = ir.builder;
    }

    static void register(Emitter e) {
        ArithmeticEmitters a = new ArithmeticEmitters(e.ir);
        for (String name : new String[] {"add", "sub", "mul", "div", "rem", "min", "max", "and", "or", "xor", "shl", "shr"}) {
            boolean divides = name.equals("div") || name.equals("rem");
            e.register("loop." + name, (op, s) -> s.put(op.result(),
                    a.binary(name, Elements.operand(op, 0), s.get(op, 0), divides ? divisor(e.ir, op, s) : s.get(op, 1))));
        }
        e.register("loop.neg", (op, s) -> s.put(op.result(), a.neg(Elements.operand(op, 0), s.get(op, 0))));
        e.register("loop.abs", (op, s) -> s.put(op.result(), a.abs(Elements.operand(op, 0), s.get(op, 0))));
        e.register("loop.not", (op, s) -> s.put(op.result(), LLVMBuildNot(a.b, s.get(op, 0), "")));
        e.register(LoopOps.FMA, (op, s) -> s.put(op.result(), e.ir.intrinsic("fma", s.get(op, 0), s.get(op, 1), s.get(op, 2))));
        e.register("loop.is_nan", (op, s) -> s.put(op.result(), LLVMBuildFCmp(a.b, LLVMRealUNO, s.get(op, 0), s.get(op, 0), "")));
        e.register("loop.is_inf", (op, s) -> s.put(op.result(), a.isInf(s.get(op, 0))));
        e.register(LoopOps.CMP, (op, s) -> s.put(op.result(), a.cmp(op, s)));
        e.register(LoopOps.SELECT, (op, s) -> s.put(op.result(), LLVMBuildSelect(a.b, s.get(op, 0), s.get(op, 1), s.get(op, 2), "")));
        e.register(LoopOps.CONSTANT, (op, s) -> s.put(op.result(), Constants.of(e.ir, op)));
        e.register(LoopOps.BROADCAST, (op, s) -> s.put(op.result(),
                e.ir.splat(s.get(op, 0), ((VectorType) op.result().type()).length())));
        e.register(LoopOps.REDUCE, (op, s) -> s.put(op.result(), a.reduce(op, s)));
        e.register(LoopOps.BITCAST, (op, s) -> s.put(op.result(),
                LLVMBuildBitCast(a.b, s.get(op, 0), e.ir.types.of(op.result().type()), "")));
    }

    /**
     * A divisor defined by {@code loop.constant} as that constant, also where its value reaches
     * the body as a capture ({@link ParallelOutliner}: a load from the context, opaque to LLVM), so
     * that the division becomes multiplies and shifts (the packed GEMM's prefetch index divided by
     * a captured 2 kept a {@code div} in the micro-kernel). Only divisors: constant loop bounds
     * everywhere in parallel bodies let O3 unroll far more and took 3.5x its time on MiniLM
     * (docs/lowering.md).
     */
    private static LLVMValueRef divisor(Ir ir, Operation op, FunctionScope s) {
        return op.operand(1) instanceof OpResult r && r.owner().isA(LoopOps.CONSTANT) ? Constants.of(ir, r.owner())
                : s.get(op, 1);
    }

    LLVMValueRef binary(String name, ScalarType t, LLVMValueRef x, LLVMValueRef y) {
        boolean f = t.isFloat();
        return switch (name) {
            case "add" -> f ? LLVMBuildFAdd(b, x, y, "") : LLVMBuildAdd(b, x, y, "");
            case "sub" -> f ? LLVMBuildFSub(b, x, y, "") : LLVMBuildSub(b, x, y, "");
            case "mul" -> f ? LLVMBuildFMul(b, x, y, "") : LLVMBuildMul(b, x, y, "");
            case "div" -> f ? LLVMBuildFDiv(b, x, y, "") : integerDivide(t, x, y, false);
            case "rem" -> f ? LLVMBuildFRem(b, x, y, "") : integerDivide(t, x, y, true);
            // IEEE minimum/maximum: NaN propagates and -0 < +0.
            case "min" -> ir.intrinsic(f ? "minimum" : Elements.isSigned(t) ? "smin" : "umin", x, y);
            case "max" -> ir.intrinsic(f ? "maximum" : Elements.isSigned(t) ? "smax" : "umax", x, y);
            case "and" -> LLVMBuildAnd(b, x, y, "");
            case "or" -> LLVMBuildOr(b, x, y, "");
            case "xor" -> LLVMBuildXor(b, x, y, "");
            case "shl", "shr" -> shift(name.equals("shl"), t, x, y);
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Truncating division or remainder with the loop dialect's total semantics. */
    private LLVMValueRef integerDivide(ScalarType t, LLVMValueRef x, LLVMValueRef y, boolean remainder) {
        LLVMTypeRef type = LLVMTypeOf(x);
        LLVMValueRef zero = ir.intLike(type, 0);
        LLVMValueRef isZero = LLVMBuildICmp(b, LLVMIntEQ, y, zero, "");
        if (!Elements.isSigned(t)) {
            LLVMValueRef safe = LLVMBuildSelect(b, isZero, ir.intLike(type, 1), y, "");
            LLVMValueRef r = remainder ? LLVMBuildURem(b, x, safe, "") : LLVMBuildUDiv(b, x, safe, "");
            return LLVMBuildSelect(b, isZero, zero, r, "");
        }
        // MIN / -1 overflows (undefined in LLVM): divide by 1 instead and negate (wrapping).
        LLVMValueRef isMinusOne = LLVMBuildICmp(b, LLVMIntEQ, y, ir.intLike(type, -1), "");
        LLVMValueRef unsafe = LLVMBuildOr(b, isZero, isMinusOne, "");
        LLVMValueRef safe = LLVMBuildSelect(b, unsafe, ir.intLike(type, 1), y, "");
        if (remainder) {
            return LLVMBuildSelect(b, unsafe, zero, LLVMBuildSRem(b, x, safe, ""), "");
        }
        LLVMValueRef q = LLVMBuildSDiv(b, x, safe, "");
        q = LLVMBuildSelect(b, isMinusOne, LLVMBuildSub(b, zero, x, ""), q, "");
        return LLVMBuildSelect(b, isZero, zero, q, "");
    }

    /** Counts are read unsigned; counts of at least the bit width give 0 (or -1 for a negative signed shr). */
    private LLVMValueRef shift(boolean left, ScalarType t, LLVMValueRef x, LLVMValueRef count) {
        LLVMTypeRef type = LLVMTypeOf(x);
        int width = Elements.bitWidth(t);
        LLVMValueRef inRange = LLVMBuildICmp(b, LLVMIntULT, count, ir.intLike(type, width), "");
        if (!left && Elements.isSigned(t)) {
            LLVMValueRef clamped = LLVMBuildSelect(b, inRange, count, ir.intLike(type, width - 1), "");
            return LLVMBuildAShr(b, x, clamped, "");
        }
        LLVMValueRef safe = LLVMBuildSelect(b, inRange, count, ir.intLike(type, 0), "");
        LLVMValueRef shifted = left ? LLVMBuildShl(b, x, safe, "") : LLVMBuildLShr(b, x, safe, "");
        return LLVMBuildSelect(b, inRange, shifted, ir.intLike(type, 0), "");
    }

    private LLVMValueRef neg(ScalarType t, LLVMValueRef x) {
        return t.isFloat() ? LLVMBuildFNeg(b, x, "") : LLVMBuildNeg(b, x, "");
    }

    private LLVMValueRef abs(ScalarType t, LLVMValueRef x) {
        if (t.isFloat()) {
            return ir.intrinsic("fabs", x);
        }
        if (!Elements.isSigned(t)) {
            return x;
        }
        // The second operand false: abs(MIN) is MIN (wraps), not poison.
        return ir.intrinsic("abs", new LLVMTypeRef[] {LLVMTypeOf(x)}, x, LLVMConstInt(ir.types.i1, 0, 0));
    }

    private LLVMValueRef isInf(LLVMValueRef x) {
        LLVMValueRef inf = ir.floatLike(LLVMTypeOf(x), Double.POSITIVE_INFINITY);
        return LLVMBuildFCmp(b, LLVMRealOEQ, ir.intrinsic("fabs", x), inf, "");
    }

    private LLVMValueRef cmp(Operation op, FunctionScope s) {
        String p = ((StringAttr) op.attr("predicate")).value();
        ScalarType t = Elements.operand(op, 0);
        LLVMValueRef x = s.get(op, 0);
        LLVMValueRef y = s.get(op, 1);
        if (t.isFloat()) {
            // Ordered (false on NaN) except ne, which is true on NaN.
            int pred = switch (p) {
                case "eq" -> LLVMRealOEQ;
                case "ne" -> LLVMRealUNE;
                case "lt" -> LLVMRealOLT;
                case "le" -> LLVMRealOLE;
                case "gt" -> LLVMRealOGT;
                case "ge" -> LLVMRealOGE;
                default -> throw new CodegenException(op, "unknown predicate '" + p + "'");
            };
            return LLVMBuildFCmp(b, pred, x, y, "");
        }
        boolean signed = Elements.isSigned(t);
        int pred = switch (p) {
            case "eq" -> LLVMIntEQ;
            case "ne" -> LLVMIntNE;
            case "lt" -> signed ? LLVMIntSLT : LLVMIntULT;
            case "le" -> signed ? LLVMIntSLE : LLVMIntULE;
            case "gt" -> signed ? LLVMIntSGT : LLVMIntUGT;
            case "ge" -> signed ? LLVMIntSGE : LLVMIntUGE;
            default -> throw new CodegenException(op, "unknown predicate '" + p + "'");
        };
        return LLVMBuildICmp(b, pred, x, y, "");
    }

    /**
     * Pairwise halving: lanes [0, N/2) combine with [N/2, N), and so on down to one lane. A
     * fixed tree, so results are deterministic, and log2(N) vector ops rather than N - 1 scalar ones.
     */
    private LLVMValueRef reduce(Operation op, FunctionScope s) {
        String kind = ((StringAttr) op.attr("kind")).value();
        ScalarType t = Elements.operand(op, 0);
        LLVMValueRef v = s.get(op, 0);
        int lanes = ((VectorType) op.operand(0).type()).length();
        while (lanes > 1) {
            int half = lanes / 2;
            LLVMValueRef lo = lanes(v, 0, half);
            LLVMValueRef hi = lanes(v, half, half);
            v = binary(kind, t, lo, hi);
            lanes = half;
        }
        return v; // the last step combined two scalars

    }

    /** Lanes {@code [from, from + count)} of {@code v}; a scalar when count is 1. */
    private LLVMValueRef lanes(LLVMValueRef v, int from, int count) {
        if (count == 1) {
            return LLVMBuildExtractElement(b, v, ir.i32(from), "");
        }
        LLVMValueRef[] mask = new LLVMValueRef[count];
        for (int i = 0; i < count; i++) {
            mask[i] = ir.i32(from + i);
        }
        try (org.bytedeco.javacpp.PointerPointer<LLVMValueRef> m = new org.bytedeco.javacpp.PointerPointer<>(mask)) {
            return LLVMBuildShuffleVector(b, v, LLVMGetPoison(LLVMTypeOf(v)), LLVMConstVector(m, count), "");
        }
    }
}
