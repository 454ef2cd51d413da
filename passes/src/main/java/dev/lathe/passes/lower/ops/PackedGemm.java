package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The f32 matrix product {@code C = epilogue(A x B)} of {@code nn.matmul} (2-D or batched,
 * numpy-broadcast batch dims) in the Goto/BLIS structure, all in {@code loop} code:
 * <pre>
 * parallel p in tasks:                         -- each task owns its packing buffers
 *   for unit (batch, row chunk, column chunk) of task p:
 *     for jc in column chunk step NC:
 *       for pc in 0..K step KC:
 *         pack B[pc.., jc..] into NR-wide panels  -- skipped when B is a constant: packed at compile time
 *         for ic in row chunk step MC:
 *           pack A[ic.., pc..] into MR-high row-major panels [MR][KC] -- only when transposed or
 *                                                   its rows are 4 KB apart: else read in place
 *           for each B panel (NR columns): for each A panel (MR rows):
 *             micro-kernel: MR x NR accumulators (NR/16 vectors per row) carried by one loop over k,
 *             one vector load of B per vector, one broadcast of A per row, MR x NR/16 FMAs;
 *             with a constant B the passes also prefetch the next B slice, a share each
 * </pre>
 * Schedule: MR, NR, KC, MC, NC and the task count come from the cost model ({@link GemmPlan}).
 * The last row panel (M % MR rows) and last column panel (N % NR columns, as 16/8/4/2-lane
 * vectors and one scalar column) get their own micro-kernels: shapes are static, so no masks and
 * no padding reach C. With K > KC the accumulators start from C on every block after the first
 * and the epilogue runs on the last. Sums are in f32 like the interpreter's, in k order within
 * one element (the first block from -0.0, so an all-(-0.0) sum keeps its sign). A run-time A or
 * B stored transposed ({@code transpose_a} / {@code transpose_b}) is read transposed while packing
 * (scalar loads; the packed panels are the same), so the micro-kernel is unchanged.
 *
 * <p>A constant B is a model weight that comes from memory on every call, and its first pass
 * over each KC x NR slice would wait on DRAM miss by miss. So the passes of the A panels of a
 * block over a slice share the prefetching ({@code loop.prefetch} into L2) of the slice consumed
 * next evenly, {@code NR / 16 / passes} lines per k step (see {@link Prefetch}), so that DRAM
 * streams at one rate all the time. Not when a slice exceeds a quarter of L2 (a GEMV's, K
 * unblocked): two would not stay in L2, and such panels are one contiguous stream that the
 * hardware prefetcher follows at full bandwidth.
 */
final class PackedGemm {

    private final GemmPlan plan;
    private final MemRefType at;
    private final MemRefType bt;
    private final long[] batch;
    private final long m;
    private final long n;
    private final long k;
    private final int lanes;
    private final int nr;
    private final boolean ta;
    private final boolean tb;
    private final MatmulLowering.Epilogue epilogue;
    /**
     * Whether A is packed: when stored transposed, or when its rows sit a multiple of 4 KB apart
     * (the MR rows the micro-kernel broadcasts from would share one L1 set). Otherwise it reads
     * A's rows in place: packing only copied them into the same row-major order, and that copy
     * (reading A from L3, where the previous kernel's output went) was 5-7% of FFN2's time.
     */
    private final boolean packsA;
    /** Packed constant B: {@code [batchB][panels][K][NR]} flattened, zero-padded columns; null when packed at run time. */
    private Value packedB;
    private Value aBuf;
    private Value bBuf;
    private Value cBuf;
    private Value aScratch;
    private Value bScratch;
    private long aSize;
    private long bSize;
    /** L2 bytes of one core: bounds the B slice worth prefetching. */
    private long l2Bytes;

    private PackedGemm(GemmPlan plan, MemRefType at, MemRefType bt, long[] batch, boolean ta, boolean tb,
            MatmulLowering.Epilogue epilogue) {
        this.plan = plan;
        this.at = at;
        this.bt = bt;
        this.batch = batch;
        this.ta = ta;
        this.tb = tb;
        this.m = at.dim(at.rank() - (ta ? 1 : 2));
        this.k = at.dim(at.rank() - (ta ? 2 : 1));
        this.n = bt.dim(bt.rank() - (tb ? 2 : 1));
        this.lanes = plan.lanes();
        this.nr = plan.nr();
        this.epilogue = epilogue;
        this.packsA = ta || k % SAME_SET_FLOATS == 0;
    }

    /**
     * Whether this kernel handles the product: f32 everywhere, both operands matrices, nothing
     * empty ({@code ta}: A is stored transposed, its depth is then its second-to-last dim).
     */
    static boolean applies(MemRefType at, MemRefType bt, MemRefType ct, boolean ta) {
        return at.rank() >= 2 && bt.rank() >= 2 && at.elementType() == ScalarType.F32
                && bt.elementType() == ScalarType.F32 && ct.elementType() == ScalarType.F32 && ct.numElements() > 0
                && at.dim(at.rank() - (ta ? 2 : 1)) > 0;
    }

    /**
     * Emits the product. {@code bConst} is B's value when it is a compile-time constant (then
     * {@code bBuf} is null and B is packed now into a new weight), else null. {@code ta} / {@code tb}:
     * A / B stored transposed ({@code tb} only with a run-time B).
     */
    static void emit(KernelContext cx, Value aBuf, Value bBuf, DenseElementsAttr bConst, Value cBuf, boolean ta,
            boolean tb, MatmulLowering.Epilogue epilogue) {
        if (tb && bConst != null) {
            throw new IllegalArgumentException("a transposed B packed at compile time");
        }
        MemRefType at = (MemRefType) aBuf.type();
        MemRefType bt = bConst != null ? MemRefType.of(bConst.type()) : (MemRefType) bBuf.type();
        MemRefType ct = (MemRefType) cBuf.type();
        long[] batch = Arrays.copyOf(ct.shapeArray(), ct.rank() - 2);
        long batchCount = Arrays.stream(batch).reduce(1, (x, y) -> x * y);
        long m = at.dim(at.rank() - (ta ? 1 : 2));
        long kk = at.dim(at.rank() - (ta ? 2 : 1));
        long nn = bt.dim(bt.rank() - (tb ? 2 : 1));
        GemmPlan plan = GemmPlan.of(cx, batchCount, m, nn, kk, bConst != null);
        PackedGemm g = new PackedGemm(plan, at, bt, batch, ta, tb, epilogue);
        g.aBuf = aBuf;
        g.bBuf = bBuf;
        g.cBuf = cBuf;
        g.l2Bytes = cx.machine().l2Bytes();
        if (g.packsA) {
            g.aSize = plan.mc() * g.aStride();
            g.aScratch = cx.scratch(MemRefType.of(ScalarType.F32, plan.tasks() * g.aSize));
        }
        if (bConst != null) {
            g.packedB = cx.weight(g.packConstant(bConst));
        } else {
            g.bSize = plan.kc() * Math.min(plan.nc(), plan.nStep());
            g.bScratch = cx.scratch(MemRefType.of(ScalarType.F32, plan.tasks() * g.bSize));
        }
        g.emitTasks(cx.builder(), batchCount);
    }

    /**
     * Floats between two rows of a packed A panel: KC, one vector more when KC rows would sit a
     * multiple of 4 KB apart (MR rows then share one L1 set).
     */
    private long aStride() {
        long kc = plan.kc();
        return kc % SAME_SET_FLOATS == 0 ? kc + lanes : kc;
    }

    private long panels() {
        return (n + nr - 1) / nr;
    }

    /** B's panels laid out as the micro-kernel reads them: {@code [batchB][panel][k][NR]}, missing columns 0. */
    private DenseElementsAttr packConstant(DenseElementsAttr b) {
        long batchB = b.numElements() / (k * n);
        long total = batchB * panels() * k * nr;
        if (total > Integer.MAX_VALUE / 4) {
            throw new IllegalStateException("packed B of " + total + " floats is too large");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total * 4).order(ByteOrder.LITTLE_ENDIAN);
        if (b.elementType() == ScalarType.F32 && !b.isSplat()) {
            packF32(b, batchB, out.asFloatBuffer());
        } else {
            for (long bb = 0; bb < batchB; bb++) {
                for (long q = 0; q < panels(); q++) {
                    for (long kk = 0; kk < k; kk++) {
                        long base = ((bb * panels() + q) * k + kk) * nr;
                        for (long c = 0; c < nr; c++) {
                            long col = q * nr + c;
                            float v = col < n ? (float) b.getDouble((bb * k + kk) * n + col) : 0f;
                            out.putFloat((int) (base + c) * 4, v);
                        }
                    }
                }
            }
        }
        return DenseElementsAttr.fromBytes(TensorType.of(ScalarType.F32, total), out.array());
    }

    /**
     * The same layout for f32 data, by row segments: element-wise {@code getDouble} made this
     * the largest cost of compiling a transformer (the buffer starts zeroed, so the missing
     * columns of the last panel are already 0).
     */
    private void packF32(DenseElementsAttr b, long batchB, FloatBuffer out) {
        FloatBuffer src = b.asReadOnlyBuffer().asFloatBuffer();
        for (long bb = 0; bb < batchB; bb++) {
            for (long q = 0; q < panels(); q++) {
                int width = (int) Math.min(nr, n - q * nr);
                for (long kk = 0; kk < k; kk++) {
                    int base = (int) (((bb * panels() + q) * k + kk) * nr);
                    out.put(base, src, (int) ((bb * k + kk) * n + q * nr), width);
                }
            }
        }
    }

    private void emitTasks(LoopBuilder b, long batchCount) {
        long units = batchCount * plan.mChunks() * plan.nChunks();
        long per = (units + plan.tasks() - 1) / plan.tasks();
        long tasks = (units + per - 1) / per;
        b.parallel(0, tasks, 1, 1, (pb, p) -> {
            Value u0 = pb.mul(p, pb.index(per));
            Value u1 = pb.min(pb.add(u0, pb.index(per)), pb.index(units));
            Value aOff = pb.mul(p, pb.index(aSize));
            Value bOff = bScratch == null ? null : pb.mul(p, pb.index(bSize));
            pb.forRange(u0, u1, pb.index(1), (ub, u) -> unit(ub, u, aOff, bOff));
        });
    }

    /** One (matrix, row chunk, column chunk) of the product. */
    private void unit(LoopBuilder b, Value u, Value aOff, Value bOff) {
        long mc = plan.mChunks();
        long nc = plan.nChunks();
        Value nCh = nc == 1 ? b.index(0) : b.rem(u, b.index(nc));
        Value rest = nc == 1 ? u : b.div(u, b.index(nc));
        Value mCh = mc == 1 ? b.index(0) : b.rem(rest, b.index(mc));
        Value flat = mc == 1 ? rest : b.div(rest, b.index(mc));
        List<Value> bidx = batch.length == 0 ? List.of() : b.delinearize(flat, batch);
        Value i0 = b.mul(mCh, b.index(plan.mStep()));
        Value i1 = mc == 1 ? b.index(m) : b.min(b.add(i0, b.index(plan.mStep())), b.index(m));
        Value j0 = b.mul(nCh, b.index(plan.nStep()));
        Value j1 = nc == 1 ? b.index(n) : b.min(b.add(j0, b.index(plan.nStep())), b.index(n));
        Value bBatch = packedB == null ? null : packedBatch(b, bidx);
        b.forRange(j0, j1, b.index(plan.nc()), (jb, jc) -> {
            Value jcEnd = jb.min(jb.add(jc, jb.index(plan.nc())), j1);
            jb.forRange(jb.index(0), jb.index(k), jb.index(plan.kc()), (kb, pc) -> {
                Value kcLen = kb.min(kb.index(plan.kc()), kb.sub(kb.index(k), pc));
                if (packedB == null) {
                    packB(kb, bidx, pc, kcLen, jc, jcEnd, bOff);
                }
                kb.forRange(i0, i1, kb.index(plan.mc()), (ib, ic) -> {
                    Value icEnd = ib.min(ib.add(ic, ib.index(plan.mc())), i1);
                    if (packsA) {
                        packA(ib, bidx, ic, icEnd, pc, kcLen, aOff);
                    }
                    macro(ib, bidx, bBatch, ic, icEnd, jc, jcEnd, pc, kcLen, aOff, bOff);
                });
            });
        });
    }

    /** The flat batch index into packed constant B (its own batch dims; size-1 dims broadcast). */
    private Value packedBatch(LoopBuilder b, List<Value> bidx) {
        int own = bt.rank() - 2;
        if (own == 0) {
            return b.index(0);
        }
        long[] shape = Arrays.copyOf(bt.shapeArray(), own);
        return b.linearize(b.broadcastIndex(shape, bidx), shape);
    }

    /** Columns {@code jc .. jcEnd} of rows {@code pc .. pc+kcLen} of B into panels {@code [panel][KC][NR]}. */
    private void packB(LoopBuilder b, List<Value> bidx, Value pc, Value kcLen, Value jc, Value jcEnd, Value bOff) {
        Value full = b.div(b.sub(jcEnd, jc), b.index(nr));
        b.forRange(b.index(0), full, b.index(1), (qb, q) -> packBPanel(qb, bidx, pc, kcLen, jc, q, fullGroups(), bOff));
        long tail = n % nr;
        if (tail > 0) {
            b.ifThen(b.cmp("eq", jcEnd, b.index(n)), tb -> packBPanel(tb, bidx, pc, kcLen, jc, full, groups(tail), bOff));
        }
    }

    private void packBPanel(LoopBuilder b, List<Value> bidx, Value pc, Value kcLen, Value jc, Value q, int[] widths,
            Value bOff) {
        Value col0 = b.add(jc, b.mul(q, b.index(nr)));
        Value dst0 = b.add(bOff, b.mul(q, b.index(plan.kc() * nr)));
        b.forRange(b.index(0), kcLen, b.index(1), (kb, kk) -> {
            Value row = kb.add(pc, kk);
            Value dst = kb.add(dst0, kb.mul(kk, kb.index(nr)));
            int off = 0;
            for (int w : widths) {
                Value col = off == 0 ? col0 : kb.add(col0, kb.index(off));
                Value d = off == 0 ? dst : kb.add(dst, kb.index(off));
                if (tb) {
                    // B stored [.., n, k]: the panel row's columns are strided, one scalar each.
                    for (int e = 0; e < w; e++) {
                        Value c = e == 0 ? col : kb.add(col, kb.index(e));
                        Value v = kb.load(bBuf, MatmulLowering.matrixIndex(kb, bt, batch, bidx, c, row));
                        kb.store(v, bScratch, List.of(e == 0 ? d : kb.add(d, kb.index(e))));
                    }
                    off += w;
                    continue;
                }
                List<Value> src = MatmulLowering.matrixIndex(kb, bt, batch, bidx, row, col);
                if (w == 1) {
                    kb.store(kb.load(bBuf, src), bScratch, List.of(d));
                } else {
                    kb.vstore(kb.vload(bBuf, src, w), bScratch, List.of(d));
                }
                off += w;
            }
        });
    }

    /**
     * Rows {@code ic .. icEnd} of columns {@code pc .. pc+kcLen} of A into row-major panels
     * {@code [panel][MR][aStride]}: a row is a vector copy. (Panels {@code [k][MR]} took one scalar
     * load and store per element, gathered down MR rows; with NC column blocks A is packed once per
     * block, 8 times at 2048^3, and that packing was over a tenth of the time.) The micro-kernel's
     * MR broadcasts then read MR short streams, which the rows' distinct L1 sets keep apart.
     */
    private void packA(LoopBuilder b, List<Value> bidx, Value ic, Value icEnd, Value pc, Value kcLen, Value aOff) {
        int mr = plan.mr();
        Value full = b.div(b.sub(icEnd, ic), b.index(mr));
        b.forRange(b.index(0), full, b.index(1), (rb, r) -> packAPanel(rb, bidx, ic, r, mr, pc, kcLen, aOff));
        int tail = (int) (m % mr);
        if (tail > 0) {
            b.ifThen(b.cmp("eq", icEnd, b.index(m)), tb -> packAPanel(tb, bidx, ic, full, tail, pc, kcLen, aOff));
        }
    }

    private void packAPanel(LoopBuilder b, List<Value> bidx, Value ic, Value r, int rows, Value pc, Value kcLen,
            Value aOff) {
        int mr = plan.mr();
        long stride = aStride();
        Value row0 = b.add(ic, b.mul(r, b.index(mr)));
        Value dst0 = b.add(aOff, b.mul(r, b.index(mr * stride)));
        Value[] rowIdx = new Value[rows];
        for (int rr = 0; rr < rows; rr++) {
            rowIdx[rr] = rr == 0 ? row0 : b.add(row0, b.index(rr));
        }
        if (ta) {
            // A stored [k, m]: one k's MR rows are adjacent, so k outer reads it contiguously.
            b.forRange(b.index(0), kcLen, b.index(1), (kb, kk) -> {
                Value col = kb.add(pc, kk);
                Value dst = kb.add(dst0, kk);
                for (int rr = 0; rr < rows; rr++) {
                    Value v = kb.load(aBuf, MatmulLowering.matrixIndex(kb, at, batch, bidx, col, rowIdx[rr]));
                    kb.store(v, aScratch, List.of(rr == 0 ? dst : kb.add(dst, kb.index(rr * stride))));
                }
            });
            return;
        }
        Value vecEnd = b.mul(b.div(kcLen, b.index(lanes)), b.index(lanes));
        for (int rr = 0; rr < rows; rr++) {
            Value row = rowIdx[rr];
            Value dst = rr == 0 ? dst0 : b.add(dst0, b.index(rr * stride));
            b.forRange(b.index(0), vecEnd, b.index(lanes), (kb, kk) -> kb.vstore(
                    kb.vload(aBuf, MatmulLowering.matrixIndex(kb, at, batch, bidx, row, kb.add(pc, kk)), lanes),
                    aScratch, List.of(kb.add(dst, kk))));
            b.forRange(vecEnd, kcLen, b.index(1), (kb, kk) -> kb.store(
                    kb.load(aBuf, MatmulLowering.matrixIndex(kb, at, batch, bidx, row, kb.add(pc, kk))), aScratch,
                    List.of(kb.add(dst, kk))));
        }
    }

    /** Every micro-tile of the packed blocks: B panels outside (one stays in L1), A panels inside. */
    private void macro(LoopBuilder b, List<Value> bidx, Value bBatch, Value ic, Value icEnd, Value jc, Value jcEnd,
            Value pc, Value kcLen, Value aOff, Value bOff) {
        int mr = plan.mr();
        Value nFull = b.div(b.sub(jcEnd, jc), b.index(nr));
        Value mFull = b.div(b.sub(icEnd, ic), b.index(mr));
        int mTail = (int) (m % mr);
        long nTail = n % nr;
        PanelBody column = (cb, q, widths) -> {
            Value j = cb.add(jc, cb.mul(q, cb.index(nr)));
            Value bBase = packedB != null
                    ? packedIndex(cb, bBatch, cb.div(j, cb.index(nr)), pc)
                    : cb.add(bOff, cb.mul(q, cb.index(plan.kc() * nr)));
            if (packedB == null || plan.kc() * nr * Float.BYTES > l2Bytes / 4) {
                cb.forRange(cb.index(0), mFull, cb.index(1), (rb, r) -> micro(rb, bidx, r, mr, widths, ic, j, bBase, pc,
                        kcLen, aOff, null));
                if (mTail > 0) {
                    cb.ifThen(cb.cmp("eq", icEnd, cb.index(m)), tb -> micro(tb, bidx, mFull, mTail, widths, ic, j, bBase,
                            pc, kcLen, aOff, null));
                }
                return;
            }
            Value next = nextSlice(cb, bBatch, q, jc, jcEnd, pc, kcLen, bBase);
            // The passes over this B slice (one per A panel of the block) share the prefetching of
            // the next slice evenly, so that DRAM streams at one rate during all of them; with
            // fewer rows than MR the tail's pass is the only one and prefetches all of it.
            long passes = Math.max(1, Math.min(plan.mc(), plan.mStep()) / mr);
            if (m >= mr) {
                cb.forRange(cb.index(0), mFull, cb.index(1), (rb, r) -> micro(rb, bidx, r, mr, widths, ic, j, bBase, pc,
                        kcLen, aOff, new Prefetch(next, rb.mul(r, kcLen), passes)));
            }
            if (mTail > 0) {
                cb.ifThen(cb.cmp("eq", icEnd, cb.index(m)), tb -> micro(tb, bidx, mFull, mTail, widths, ic, j, bBase, pc,
                        kcLen, aOff, m < mr ? new Prefetch(next, tb.index(0), 1) : null));
            }
        };
        b.forRange(b.index(0), nFull, b.index(1), (qb, q) -> column.emit(qb, q, fullGroups()));
        if (nTail > 0) {
            b.ifThen(b.cmp("eq", jcEnd, b.index(n)), tb -> column.emit(tb, nFull, groups(nTail)));
        }
    }

    /** The flat index of row {@code kk} of panel {@code panel} of packed constant B at {@code bBatch}. */
    private Value packedIndex(LoopBuilder b, Value bBatch, Value panel, Value kk) {
        return b.mul(b.add(b.mul(b.add(b.mul(bBatch, b.index(panels())), panel), b.index(k)), kk), b.index(nr));
    }

    /**
     * Where the B slice consumed after the one at {@code bBase} starts: the next panel's at the
     * same depth; after a block's last panel the first one's at
     * the next depth; after the last depth block the next column block's first panel (past the
     * end of B after the last one: a prefetch may).
     */
    private Value nextSlice(LoopBuilder b, Value bBatch, Value q, Value jc, Value jcEnd, Value pc, Value kcLen,
            Value bBase) {
        Value blockPanels = b.div(b.add(b.sub(jcEnd, jc), b.index(nr - 1)), b.index(nr));
        Value nextPc = b.add(pc, kcLen);
        Value jcPanel = b.div(jc, b.index(nr));
        Value wrap = b.select(b.cmp("lt", nextPc, b.index(k)), packedIndex(b, bBatch, jcPanel, nextPc),
                packedIndex(b, bBatch, b.div(b.add(jcEnd, b.index(nr - 1)), b.index(nr)), b.index(0)));
        return b.select(b.cmp("lt", b.add(q, b.index(1)), blockPanels), b.add(bBase, b.index(k * nr)), wrap);
    }

    /**
     * What a micro-kernel pass prefetches: the next slice (at {@code next}, {@code KC x NR}
     * contiguous floats, {@code lines = ceil(NR / 16)} a k step) spread evenly over the {@code passes}
     * passes of a block, {@code stepsBefore} (the earlier passes' k steps) placing this pass: at
     * its step {@code kk}, with {@code g = stepsBefore + kk}, the lines from
     * {@code floor(g * lines / passes)}, {@code ceil(lines / passes)} of them (a line may be
     * prefetched twice; one past the slice may be touched, harmless for a prefetch).
     */
    private record Prefetch(Value next, Value stepsBefore, long passes) {}

    /** Floats 4 KB apart: rows of A at a multiple of this stride share one L1 set. */
    private static final long SAME_SET_FLOATS = 4096 / Float.BYTES;

    /** Floats of one 64-byte cache line: one prefetch each. */
    static final int LINE_FLOATS = 16;

    /** Cache levels of a B prefetch ({@code loop.prefetch} locality). */
    static final int PREFETCH_LOCALITY = 2;

    @FunctionalInterface
    private interface PanelBody {
        void emit(LoopBuilder b, Value panel, int[] widths);
    }

    /** One micro-tile: {@code rows x sum(widths)} sums over {@code kcLen} steps of k, then stored to C. */
    private void micro(LoopBuilder b, List<Value> bidx, Value r, int rows, int[] widths, Value ic, Value j, Value bBase,
            Value pc, Value kcLen, Value aOff, Prefetch ahead) {
        int mr = plan.mr();
        Value i = b.add(ic, b.mul(r, b.index(mr)));
        long stride = aStride();
        Value aBase = packsA ? b.add(aOff, b.mul(r, b.index(mr * stride))) : null;
        Value[] rowIdx = new Value[rows];
        for (int rr = 0; rr < rows; rr++) {
            rowIdx[rr] = rr == 0 ? i : b.add(i, b.index(rr));
        }
        Value[] colIdx = new Value[widths.length];
        List<Type> types = new ArrayList<>();
        int off = 0;
        for (int g = 0; g < widths.length; g++) {
            colIdx[g] = off == 0 ? j : b.add(j, b.index(off));
            off += widths[g];
        }
        for (int rr = 0; rr < rows; rr++) {
            for (int w : widths) {
                types.add(w == 1 ? ScalarType.F32 : VectorType.of(w, ScalarType.F32));
            }
        }
        boolean oneBlock = k <= plan.kc();
        List<Value> inits = oneBlock ? zeros(b, types)
                : b.ifElse(b.cmp("eq", pc, b.index(0)), types, tb -> zeros(tb, types), eb -> {
                    List<Value> c = new ArrayList<>();
                    for (int rr = 0; rr < rows; rr++) {
                        for (int g = 0; g < widths.length; g++) {
                            List<Value> idx = cIndex(bidx, rowIdx[rr], colIdx[g]);
                            c.add(widths[g] == 1 ? eb.load(cBuf, idx) : eb.vload(cBuf, idx, widths[g]));
                        }
                    }
                    return c;
                });
        List<Value> sums = b.forRange(b.index(0), kcLen, b.index(1), inits, (kb, kk, carried) -> {
            Value bk = kb.add(bBase, kb.mul(kk, kb.index(nr)));
            Value ak = packsA ? kb.add(aBase, kk) : null;
            Value src = packedB != null ? packedB : bScratch;
            if (ahead != null) {
                int lines = (nr + LINE_FLOATS - 1) / LINE_FLOATS; // of a k step (NR = 24 with 8 lanes: 2, a half past)
                Value line = kb.div(kb.mul(kb.add(ahead.stepsBefore(), kk), kb.index(lines)), kb.index(ahead.passes()));
                Value pf = kb.add(ahead.next(), kb.mul(line, kb.index(LINE_FLOATS)));
                for (long c = 0; c < (lines + ahead.passes() - 1) / ahead.passes(); c++) {
                    kb.prefetch(packedB, List.of(c == 0 ? pf : kb.add(pf, kb.index(c * LINE_FLOATS))), PREFETCH_LOCALITY);
                }
            }
            Value[] bv = new Value[widths.length];
            int o = 0;
            for (int g = 0; g < widths.length; g++) {
                Value at = o == 0 ? bk : kb.add(bk, kb.index(o));
                bv[g] = widths[g] == 1 ? kb.load(src, List.of(at)) : kb.vload(src, List.of(at), widths[g]);
                o += widths[g];
            }
            List<Value> next = new ArrayList<>(carried.size());
            for (int rr = 0; rr < rows; rr++) {
                Value a = packsA ? kb.load(aScratch, List.of(rr == 0 ? ak : kb.add(ak, kb.index(rr * stride))))
                        : kb.load(aBuf, MatmulLowering.matrixIndex(kb, at, batch, bidx, rowIdx[rr], kb.add(pc, kk)));
                Value[] splat = new Value[lanes + 1];
                for (int g = 0; g < widths.length; g++) {
                    int w = widths[g];
                    if (splat[w] == null) {
                        splat[w] = w == 1 ? a : kb.broadcast(a, w);
                    }
                    next.add(kb.fma(splat[w], bv[g], carried.get(rr * widths.length + g)));
                }
            }
            return next;
        });
        if (oneBlock) {
            store(b, bidx, sums, rowIdx, colIdx, widths, true);
        } else {
            b.ifElse(b.cmp("eq", b.add(pc, kcLen), b.index(k)), List.of(), tb -> {
                store(tb, bidx, sums, rowIdx, colIdx, widths, true);
                return List.of();
            }, eb -> {
                store(eb, bidx, sums, rowIdx, colIdx, widths, false);
                return List.of();
            });
        }
    }

    private void store(LoopBuilder b, List<Value> bidx, List<Value> sums, Value[] rowIdx, Value[] colIdx, int[] widths,
            boolean last) {
        for (int rr = 0; rr < rowIdx.length; rr++) {
            for (int g = 0; g < widths.length; g++) {
                Value v = sums.get(rr * widths.length + g);
                if (last) {
                    v = epilogue.apply(b, v, bidx, rowIdx[rr], colIdx[g], widths[g]);
                }
                List<Value> idx = cIndex(bidx, rowIdx[rr], colIdx[g]);
                if (widths[g] == 1) {
                    b.store(v, cBuf, idx);
                } else {
                    b.vstore(v, cBuf, idx);
                }
            }
        }
    }

    private List<Value> cIndex(List<Value> bidx, Value i, Value j) {
        List<Value> idx = new ArrayList<>(bidx);
        idx.add(i);
        idx.add(j);
        return idx;
    }

    private static List<Value> zeros(LoopBuilder b, List<Type> types) {
        List<Value> z = new ArrayList<>(types.size());
        for (Type t : types) {
            z.add(b.constant(t, -0.0));
        }
        return z;
    }

    private int[] fullGroups() {
        int[] w = new int[nr / lanes];
        Arrays.fill(w, lanes);
        return w;
    }

    /** {@code cols} columns as full vectors, then 8/4/2-lane vectors, then one scalar. */
    private int[] groups(long cols) {
        List<Integer> out = new ArrayList<>();
        long left = cols;
        for (int w = lanes; w >= 1; w /= 2) {
            while (left >= w) {
                out.add(w);
                left -= w;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
