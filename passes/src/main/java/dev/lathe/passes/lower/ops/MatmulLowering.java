package dev.lathe.passes.lower.ops;

import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code nn.matmul}: batched {@code [..., n, k] x [..., k, m]} with numpy-broadcast batch dims and
 * 1-D operands (a row on the left, a column on the right). Row blocks of every matrix in the
 * batch are split across threads; each block runs {@link GemmEmitter}'s register tile, vectors
 * along the result's columns. 16-bit floats accumulate in f32; integers in their own type
 * (wrapping, like the reference). {@code transpose_a} / {@code transpose_b} are honoured by the
 * loads: A(i, k) reads {@code [.., k, i]}, B(k, j) reads {@code [.., j, k]} (the same sums in the
 * same k order as the untransposed product). A transposed B is not contiguous along the columns,
 * so the unpacked kernel reads it in scalars (lanes 1); the packed kernel reads it while packing.
 */
final class MatmulLowering implements OpLowering {

    /** A zero point to subtract from A(i, k) (scalar) or B(k, j .. j+w) (vector when w > 1), in the accumulator type. */
    @FunctionalInterface
    interface ZeroPoint {
        Value at(LoopBuilder b, Value row, Value col, int width);
    }

    /** The value written for the finished sums at C(i, j .. j+w), in C's element type. */
    @FunctionalInterface
    interface Epilogue {
        Value apply(LoopBuilder b, Value sum, Value i, Value j, int width);

        /** The same with C's batch indices (what an epilogue reading other tensors needs); the kernels call this one. */
        default Value apply(LoopBuilder b, Value sum, List<Value> bidx, Value i, Value j, int width) {
            return apply(b, sum, i, j, width);
        }
    }

    /**
     * An f32 B that is an {@code nn.constant} is read at compile time, to be packed into the
     * micro-kernel's panel layout as a new weight ({@link PackedGemm}); the original is then unused.
     */
    @Override
    public Set<Integer> constantOperands(Operation op) {
        return packsConstantB(op, op.operand(0), op.operand(1), op.result().type()) ? Set.of(1) : Set.of();
    }

    /** Whether {@code matmul}'s operand {@code which} (0: A, 1: B) is read transposed ({@code transpose_a/b}). */
    static boolean transposed(Operation matmul, int which) {
        return matmul.attr(which == 0 ? "transpose_a" : "transpose_b") instanceof BoolAttr t && t.value();
    }

    /**
     * Whether the product {@code a x b -> c} of {@code matmul} reads an {@code nn.constant} B at
     * compile time to pack it. Not with {@code transpose_b}: the compile-time packing reads B's
     * stored layout (a transposed constant is folded by fold-constants, not into the matmul).
     */
    static boolean packsConstantB(Operation matmul, Value aValue, Value bValue, dev.lathe.ir.type.Type cType) {
        return !transposed(matmul, 1) && bValue instanceof OpResult r && NnConstants.isConstant(r.owner())
                && aValue.type() instanceof TensorType a && bValue.type() instanceof TensorType b
                && cType instanceof TensorType c && a.hasStaticShape() && b.hasStaticShape()
                && c.hasStaticShape() && PackedGemm.applies(MemRefType.of(a), MemRefType.of(b), MemRefType.of(c),
                        transposed(matmul, 0));
    }

    @Override
    public void lower(KernelContext cx) {
        ScalarType et = LoopBuilder.elementType(cx.output(0));
        Operation op = cx.op();
        lowerProduct(cx, 0, 1, packsConstantB(op, op.operand(0), op.operand(1), op.result().type()),
                transposed(op, 0), transposed(op, 1), (b, sum, i, j, w) -> b.cast(sum, et));
    }

    /**
     * {@code output(0) = epilogue(input(aIn) x input(bIn))}, choosing the packed or the unpacked
     * kernel; {@code constB}: B was declared a constant operand ({@link #packsConstantB}). The
     * epilogue gets the f32 (accumulator) sums and returns C's element type; {@code ta} / {@code tb}:
     * the operand is stored transposed (the matmul's {@code transpose_a} / {@code transpose_b}).
     */
    static void lowerProduct(KernelContext cx, int aIn, int bIn, boolean constB, boolean ta, boolean tb,
            Epilogue epilogue) {
        ScalarType et = LoopBuilder.elementType(cx.output(0));
        MemRefType at = (MemRefType) cx.input(aIn).type();
        MemRefType bt = constB ? MemRefType.of(cx.inputType(bIn)) : (MemRefType) cx.input(bIn).type();
        MemRefType ct = (MemRefType) cx.output(0).type();
        long rows = at.dim(at.rank() - (ta ? 1 : 2));
        // A run-time B is packed on every call: that pays once B no longer sits in L2 (128x384x384
        // runs faster unpacked, 128x1536x384 and up packed), from a few rows of A on. A constant B
        // is packed at compile time once it outgrows L1: in a model the weights stream from memory
        // on every call, and the packed panels are one contiguous, prefetched stream (MiniLM's
        // 384x384 projections ran 20-35% faster packed at seq 16 and 128; bench/gemm, B hot in
        // cache, agrees: 16 and 128 x384x384 103 -> 130 GFLOP/s, 16x128x128 too; 128x96x96,
        // 36 KB, is faster unpacked).
        long bBytes = 4 * bt.dim(bt.rank() - 1) * bt.dim(bt.rank() - 2);
        boolean packed = constB ? bBytes > cx.machine().l1dBytes()
                : bBytes > cx.machine().l2Bytes() / 2 && PackedGemm.applies(at, bt, ct, ta) && rows >= PACKED_MIN_ROWS;
        if (packed) {
            PackedGemm.emit(cx, cx.input(aIn), constB ? null : cx.input(bIn), constB ? cx.constant(bIn) : null,
                    cx.output(0), ta, tb, epilogue);
            return;
        }
        // A constant B read at compile time but small: the unpacked kernel reads it as a weight as it is.
        Value b = constB ? cx.weight(cx.constant(bIn)) : cx.input(bIn);
        emit(cx, cx.input(aIn), b, cx.output(0), GemmEmitter.accumulatorFor(et), null, null, ta, tb, epilogue);
    }

    /** Rows of A from which an f32 product with a run-time B takes the packed kernel. */
    static final long PACKED_MIN_ROWS = 8;

    /**
     * {@code C = epilogue((A - aZero) x (B - bZero))} with matmul's shapes, accumulating in
     * {@code acc}; a null zero point is none.
     */
    static void emit(KernelContext cx, Value aBuf, Value bBuf, Value cBuf, ScalarType acc, ZeroPoint aZero,
            ZeroPoint bZero, Epilogue epilogue) {
        emit(cx, aBuf, bBuf, cBuf, acc, aZero, bZero, false, false, epilogue);
    }

    /** The same with A and / or B stored transposed ({@code [.., k, n]} / {@code [.., m, k]}; matrices only). */
    static void emit(KernelContext cx, Value aBuf, Value bBuf, Value cBuf, ScalarType acc, ZeroPoint aZero,
            ZeroPoint bZero, boolean ta, boolean tb, Epilogue epilogue) {
        MemRefType at = (MemRefType) aBuf.type();
        MemRefType bt = (MemRefType) bBuf.type();
        MemRefType ct = (MemRefType) cBuf.type();
        long rows = at.rank() == 1 ? 1 : at.dim(at.rank() - (ta ? 1 : 2));
        long depth = at.dim(at.rank() - (ta ? 2 : 1));
        long cols = bt.rank() == 1 ? 1 : bt.dim(bt.rank() - (tb ? 2 : 1));
        int batchRank = ct.rank() - (at.rank() > 1 ? 1 : 0) - (bt.rank() > 1 ? 1 : 0);
        long[] batch = Arrays.copyOf(ct.shapeArray(), batchRank);
        long batchCount = Arrays.stream(batch).reduce(1, (x, y) -> x * y);
        if (ct.numElements() == 0) {
            return;
        }
        RowBlocks.Plan plan = RowBlocks.plan(cx, batchCount, rows, cols, depth, acc);
        // A transposed B's columns are not contiguous: scalar columns (lanes 1), no vector loads, no column chunks.
        long chunks = tb ? 1 : plan.colChunks();
        RowBlocks.emit(cx.builder(), batch, rows, plan.mr(), plan.tasks(), chunks, (b, bidx, i0, height, chunk) -> {
            GemmEmitter.LoadA loadA = (lb, i, k) -> {
                Value v = lb.cast(lb.load(aBuf, ta ? matrixIndex(lb, at, batch, bidx, k, i)
                        : matrixIndex(lb, at, batch, bidx, i, k)), acc);
                return aZero == null ? v : lb.sub(v, aZero.at(lb, i, k, 1));
            };
            GemmEmitter.LoadB loadB = (lb, k, j, w) -> {
                List<Value> idx = bt.rank() == 1 ? List.of(k)
                        : tb ? matrixIndex(lb, bt, batch, bidx, j, k) : matrixIndex(lb, bt, batch, bidx, k, j);
                Value v = lb.cast(w == 1 ? lb.load(bBuf, idx) : lb.vload(bBuf, idx, w), acc);
                return bZero == null ? v : lb.sub(v, bZero.at(lb, k, j, w));
            };
            GemmEmitter.Store store = (lb, sum, i, j, w) -> {
                List<Value> idx = new ArrayList<>(bidx);
                if (at.rank() > 1) {
                    idx.add(i);
                }
                if (bt.rank() > 1) {
                    idx.add(j);
                }
                Value v = epilogue.apply(lb, sum, bidx, i, j, w);
                if (w == 1) {
                    lb.store(v, cBuf, idx);
                } else {
                    lb.vstore(v, cBuf, idx);
                }
            };
            new GemmEmitter(loadA, loadB, store, cols, depth, acc, tb ? 1 : plan.lanes(), tb ? 1 : plan.vectors())
                    .rowBlock(b, i0, height, chunk, chunks);
        });
    }

    /**
     * Indices of element {@code (r, c)} of the matrix of {@code t} at batch position {@code bidx}:
     * the operand's batch dims align right with the result's, size-1 dims read index 0.
     */
    static List<Value> matrixIndex(LoopBuilder b, MemRefType t, long[] batch, List<Value> bidx, Value r, Value c) {
        if (t.rank() == 1) {
            return List.of(c);
        }
        int own = t.rank() - 2;
        int offset = batch.length - own;
        List<Value> idx = new ArrayList<>(t.rank());
        for (int d = 0; d < own; d++) {
            idx.add(t.dim(d) == 1 && batch[d + offset] != 1 ? b.index(0) : bidx.get(d + offset));
        }
        idx.add(r);
        idx.add(c);
        return idx;
    }
}
