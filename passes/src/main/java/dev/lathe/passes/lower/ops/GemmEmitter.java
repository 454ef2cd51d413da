package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The register-tiled inner kernel of every matrix product ({@code nn.matmul}, 1x1 convolutions,
 * the integer and quantized products): {@code C[i, j] = store(sum_k A(i, k) * B(k, j))} for a
 * block of {@code mr} rows, all columns. Each column tile keeps {@code mr x vectors}
 * accumulators in registers (carried by one {@code loop.for} over k), loads the B row once per
 * k and broadcasts one A element per row; columns left over run in narrower vectors, then
 * scalars. How operands are addressed and converted is the caller's: the emitter only sees
 * values in the accumulator type.
 */
final class GemmEmitter {

    /** A(i, k) as a scalar of the accumulator type. */
    @FunctionalInterface
    interface LoadA {
        Value load(LoopBuilder b, Value i, Value k);
    }

    /** B(k, j .. j+width) in the accumulator type: a scalar when {@code width == 1}, else a vector. */
    @FunctionalInterface
    interface LoadB {
        Value load(LoopBuilder b, Value k, Value j, int width);
    }

    /** Writes the finished sums of row {@code i}, columns {@code j .. j+width}. */
    @FunctionalInterface
    interface Store {
        void store(LoopBuilder b, Value acc, Value i, Value j, int width);
    }

    private final LoadA a;
    private final LoadB bLoad;
    private final Store store;
    private final long cols;
    private final long depth;
    private final ScalarType acc;
    private final int lanes;
    private final int vectors;

    /**
     * @param lanes   vector width along the columns (1: scalar code)
     * @param vectors vectors per column tile (the tile is {@code vectors * lanes} columns wide)
     */
    GemmEmitter(LoadA a, LoadB b, Store store, long cols, long depth, ScalarType acc, int lanes, int vectors) {
        this.a = a;
        this.bLoad = b;
        this.store = store;
        this.cols = cols;
        this.depth = depth;
        this.acc = acc;
        this.lanes = lanes;
        this.vectors = vectors;
    }

    /** The widest power of two not above {@code max} and not wider than {@code extent} (1 when below 2). */
    static int fitLanes(int max, long extent) {
        int w = max;
        while (w > 1 && w > extent) {
            w /= 2;
        }
        return w < 2 ? 1 : w;
    }

    /** Rows {@code i0 .. i0+mr} of C, every column. */
    void rowBlock(LoopBuilder b, Value i0, int mr) {
        long tile = (long) vectors * lanes;
        long full = lanes > 1 ? cols / tile * tile : 0;
        if (full > 0) {
            b.forRange(0, full, tile, (tb, j0) -> tile(tb, i0, mr, j0, vectors, lanes));
        }
        tails(b, i0, mr, full);
    }

    /**
     * Rows {@code i0 .. i0+mr} of C, column chunk {@code chunk} (a run-time index) of
     * {@code chunks}: chunks of equally many whole tiles, the last one also takes the columns
     * left over after the last whole tile. Every column gets the same tile (and so the same sums
     * in the same k order) as in {@link #rowBlock(LoopBuilder, Value, int)}.
     */
    void rowBlock(LoopBuilder b, Value i0, int mr, Value chunk, long chunks) {
        if (chunks <= 1) {
            rowBlock(b, i0, mr);
            return;
        }
        long tile = (long) vectors * lanes;
        long full = cols / tile * tile;
        long per = (cols / tile + chunks - 1) / chunks * tile;
        Value j0 = b.mul(chunk, b.index(per));
        Value j1 = b.min(b.add(j0, b.index(per)), b.index(full));
        b.forRange(j0, j1, b.index(tile), (tb, j) -> tile(tb, i0, mr, j, vectors, lanes));
        if (full < cols) {
            b.ifThen(b.cmp("eq", chunk, b.index(chunks - 1)), lb -> tails(lb, i0, mr, full));
        }
    }

    /** Columns {@code full ..} of rows {@code i0 .. i0+mr}: narrower vectors, then scalars. */
    private void tails(LoopBuilder b, Value i0, int mr, long full) {
        long j = full;
        for (int w = lanes; w >= 2; w /= 2) {
            while (cols - j >= w) {
                tile(b, i0, mr, b.index(j), 1, w);
                j += w;
            }
        }
        if (j < cols) {
            b.forRange(j, cols, 1, (sb, jj) -> tile(sb, i0, mr, jj, 1, 1));
        }
    }

    /** One {@code mr x (nv * width)} tile: accumulators carried over k, then stored. */
    private void tile(LoopBuilder b, Value i0, int mr, Value j0, int nv, int width) {
        // Floats start from -0.0 so an all-(-0.0) sum keeps its sign, as the reference's does;
        // an empty sum is +0.0.
        double zero = acc.isFloat() && depth > 0 ? -0.0 : 0.0;
        var type = width == 1 ? acc : VectorType.of(width, acc);
        List<Value> inits = new ArrayList<>();
        for (int t = 0; t < mr * nv; t++) {
            inits.add(b.constant(type, zero));
        }
        Value[] rows = new Value[mr];
        Value[] colStarts = new Value[nv];
        for (int r = 0; r < mr; r++) {
            rows[r] = r == 0 ? i0 : b.add(i0, b.index(r));
        }
        for (int v = 0; v < nv; v++) {
            colStarts[v] = v == 0 ? j0 : b.add(j0, b.index((long) v * width));
        }
        List<Value> sums = b.forRange(b.index(0), b.index(depth), b.index(1), inits, (kb, k, carried) -> {
            Value[] bv = new Value[nv];
            for (int v = 0; v < nv; v++) {
                bv[v] = bLoad.load(kb, k, colStarts[v], width);
            }
            List<Value> next = new ArrayList<>(carried.size());
            for (int r = 0; r < mr; r++) {
                Value av = a.load(kb, rows[r], k);
                if (width > 1) {
                    av = kb.broadcast(av, width);
                }
                for (int v = 0; v < nv; v++) {
                    Value c = carried.get(r * nv + v);
                    next.add(acc.isFloat() ? kb.fma(av, bv[v], c) : kb.add(kb.mul(av, bv[v]), c));
                }
            }
            return next;
        });
        for (int r = 0; r < mr; r++) {
            for (int v = 0; v < nv; v++) {
                store.store(b, sums.get(r * nv + v), rows[r], colStarts[v], width);
            }
        }
    }

    /** The accumulator type for products of {@code et}: f32 for 16-bit floats, else the type itself. */
    static ScalarType accumulatorFor(ScalarType et) {
        return et == ScalarType.F16 || et == ScalarType.BF16 ? ScalarType.F32 : et;
    }
}
