package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.IntegerAttr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * The outermost {@code loop.parallel} of a function becomes a call of {@code rt->parallel_for}
 * with its body outlined into {@code void body(void* ctx, int64_t begin, int64_t end)}: chunk
 * {@code [begin, end)} of iterations {@code k}, each with {@code iv = lb + k * step}. The
 * context is a stack struct {@code {rt, lb, step, captured values...}} of the caller; it stays
 * valid because {@code parallel_for} returns only when every chunk is done. A loop whose trip
 * count is at most its grain (one chunk) calls the body directly instead. The grain is at least
 * {@link ChunkFloor}'s, so that no chunk is too small to be worth a hand-off.
 */
final class ParallelOutliner {

    private static final int CTX_RT = 0;
    private static final int CTX_LB = 1;
    private static final int CTX_STEP = 2;
    private static final int CTX_FIRST_CAPTURE = 3;

    private final Emitter emitter;
    private final Ir ir;

    ParallelOutliner(Emitter emitter) {
        this.emitter = emitter;
        this.ir = emitter.ir;
    }

    void outline(Operation op, FunctionScope s) {
        Block block = op.region(0).entryBlock();
        List<Value> captures = capturedValues(op);
        List<LLVMTypeRef> fields = new ArrayList<>(List.of(ir.types.ptr, ir.types.i64, ir.types.i64));
        for (Value v : captures) {
            fields.add(ir.types.of(v.type()));
        }
        LLVMTypeRef ctxType = ir.struct(fields.toArray(LLVMTypeRef[]::new));

        LLVMValueRef lb = s.get(op, 0);
        LLVMValueRef ub = s.get(op, 1);
        LLVMValueRef step = s.get(op, 2);
        // 64: the struct may hold vectors, which LLVM stores with their natural (up to 64-byte) alignment.
        LLVMValueRef ctx = s.alloca(ir, ctxType, 64);
        List<LLVMValueRef> stored = new ArrayList<>(List.of(s.rt, lb, step));
        for (Value v : captures) {
            stored.add(s.get(v));
        }
        for (int i = 0; i < stored.size(); i++) {
            LLVMBuildStore(ir.builder, stored.get(i), LLVMBuildStructGEP2(ir.builder, ctxType, ctx, i, ""));
        }

        LLVMValueRef body = emitBody(op, block, s.nextOutlinedName(), ctxType, captures);

        long grain = Math.max(op.attr("grain") instanceof IntegerAttr g ? g.value() : 1, ChunkFloor.iterations(op));
        // A loop of at most one grain runs as one chunk on this thread: a direct call of the
        // body, without going through rt->parallel_for (an upcall into the JIT's Java runtime).
        LLVMValueRef n = tripCount(lb, ub, step);
        LLVMValueRef fn = LLVMGetBasicBlockParent(ir.currentBlock());
        LLVMBasicBlockRef serial = ir.appendBlock(fn, "parallel.serial");
        LLVMBasicBlockRef pooled = ir.appendBlock(fn, "parallel.pool");
        LLVMBasicBlockRef done = ir.appendBlock(fn, "parallel.done");
        LLVMBuildCondBr(ir.builder, LLVMBuildICmp(ir.builder, LLVMIntSLE, n, ir.i64(Math.max(1, grain)), ""), serial, pooled);
        ir.positionAtEnd(serial);
        ir.call(RuntimeAbi.bodyType(ir), body, ctx, ir.i64(0), n);
        LLVMBuildBr(ir.builder, done);
        ir.positionAtEnd(pooled);
        LLVMValueRef parallelFor = LLVMBuildLoad2(ir.builder, ir.types.ptr,
                LLVMBuildStructGEP2(ir.builder, RuntimeAbi.rtType(ir), s.rt, RuntimeAbi.RT_PARALLEL_FOR, ""), "");
        ir.call(RuntimeAbi.parallelForType(ir), parallelFor, s.rt, body, ctx, n, ir.i64(grain));
        LLVMBuildBr(ir.builder, done);
        ir.positionAtEnd(done);
    }

    /** {@code ub > lb ? (ub - lb + step - 1) / step : 0}. */
    private LLVMValueRef tripCount(LLVMValueRef lb, LLVMValueRef ub, LLVMValueRef step) {
        LLVMValueRef span = LLVMBuildSub(ir.builder, ub, lb, "");
        LLVMValueRef rounded = LLVMBuildAdd(ir.builder, span, LLVMBuildSub(ir.builder, step, ir.i64(1), ""), "");
        LLVMValueRef n = LLVMBuildSDiv(ir.builder, rounded, step, "");
        LLVMValueRef any = LLVMBuildICmp(ir.builder, LLVMIntSGT, ub, lb, "");
        return LLVMBuildSelect(ir.builder, any, n, ir.i64(0), "");
    }

    private LLVMValueRef emitBody(Operation op, Block block, String name, LLVMTypeRef ctxType, List<Value> captures) {
        LLVMBasicBlockRef resume = ir.currentBlock();
        LLVMValueRef fn = FunctionEmitters.define(emitter, name, RuntimeAbi.bodyType(ir), false);
        // Called directly for a one-chunk loop too: an inlined second copy would only double its compile time.
        int noinline = LLVMGetEnumAttributeKindForName("noinline", "noinline".length());
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(ir.context, noinline, 0));
        LLVMBasicBlockRef entry = ir.appendBlock(fn, "entry");
        ir.positionAtEnd(entry);
        LLVMValueRef ctx = LLVMGetParam(fn, 0);
        LLVMValueRef rt = loadField(ctxType, ctx, CTX_RT, ir.types.ptr);
        LLVMValueRef lb = loadField(ctxType, ctx, CTX_LB, ir.types.i64);
        LLVMValueRef step = loadField(ctxType, ctx, CTX_STEP, ir.types.i64);
        FunctionScope scope = new FunctionScope(fn, name, entry, rt, null, null, false);
        for (int i = 0; i < captures.size(); i++) {
            Value v = captures.get(i);
            scope.put(v, loadField(ctxType, ctx, CTX_FIRST_CAPTURE + i, ir.types.of(v.type())));
        }
        Loops.emit(ir, scope, "chunk", LLVMGetParam(fn, 1), LLVMGetParam(fn, 2), ir.i64(1), List.of(), (k, carried) -> {
            LLVMValueRef iv = LLVMBuildNSWAdd(ir.builder, lb, LLVMBuildNSWMul(ir.builder, k, step, ""), "");
            scope.put(block.argument(0), iv);
            emitter.emitBlock(block, scope);
            return List.of();
        });
        LLVMBuildRetVoid(ir.builder);
        ir.positionAtEnd(resume);
        return fn;
    }

    private LLVMValueRef loadField(LLVMTypeRef ctxType, LLVMValueRef ctx, int field, LLVMTypeRef type) {
        return LLVMBuildLoad2(ir.builder, type, LLVMBuildStructGEP2(ir.builder, ctxType, ctx, field, ""), "");
    }

    /** Values used inside the op's region but defined outside it, in first-use order. */
    static List<Value> capturedValues(Operation op) {
        Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Value> captures = new ArrayList<>();
        op.region(0).entryBlock().walk(inner -> {
            for (Value v : inner.operands()) {
                if (!isDefinedInside(v, op) && seen.add(v)) {
                    captures.add(v);
                }
            }
        });
        return captures;
    }

    private static boolean isDefinedInside(Value v, Operation op) {
        Block b = v.parentBlock();
        Operation owner = b == null ? null : b.parentOp();
        return owner != null && op.isAncestorOf(owner);
    }
}
