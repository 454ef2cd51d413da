package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The score and exp passes of {@code nn.attention} for query rows of one batch and head: the
 * score pass for a group of at most {@link #TILE_ROWS}, the exp pass for the rows it is given.
 * Scores {@code scale·(q·k) + mask} are computed in register tiles of the group's rows times up
 * to {@link #TILE_VECTORS} vectors along Sk: per t, each row's {@code q[i, t]} is broadcast once
 * and each vector of the kᵀ row loaded once, so the tile's {@code rows × vectors} FMA chains are
 * independent (the latency of one row's four chains bounded the row-at-a-time pass). Each score
 * is one fma chain in t order, then scaled and masked, exactly as before. The row max is {@code s > m ? s : m} (one x86 max instruction; IEEE
 * {@code maximum} takes six with its NaN and signed-zero rules): a NaN score is skipped there but
 * still makes its exp, the row's sum and so its outputs NaN (see {@link AttentionLowering}), and
 * which zero a max of zeros gives does not change {@code s - max}. The exp pass then runs over
 * the rows it is given (the caller's whole block): one loop along Sk whose body does every row's
 * {@code exp(s - max)} (flushed to 0 where subnormal, {@link #expNormal}) and per-row sum, so the
 * rows' exp chains overlap; each row's sum keeps its own order (a vector partial along Sk,
 * reduced, then scalar tail).
 */
final class AttentionScores {

    /** Query rows per score tile. */
    static final int TILE_ROWS = 4;
    /** Score vectors along Sk per tile (accumulators: {@code TILE_ROWS × TILE_VECTORS}). */
    static final int TILE_VECTORS = 4;

    /** Element (t, j .. j+w) of kᵀ in the compute type (a vector when w > 1). */
    @FunctionalInterface
    interface KRow {
        Value at(LoopBuilder b, Value t, Value j, int w);
    }

    /** Everything a block's score pass reads: q, kᵀ, the mask (or null), the scores workspace. */
    record Inputs(AttentionLowering.Operand q, KRow kRow, Value mask, Value scores, List<Value> bi, long sk, long d,
            int lanes, ScalarType ct, double scale) {}

    /** One row of the group: its row in the scores workspace and its query index. */
    record Row(Value row, Value i) {}

    private AttentionScores() {}

    /** Writes the group's scores and returns each row's max (a scalar per row). */
    static List<Value> scores(LoopBuilder b, Inputs in, List<Row> rows) {
        int lanes = in.lanes();
        long sk = in.sk();
        long vectorEnd = lanes > 1 ? sk / lanes * lanes : 0;
        long tileWidth = (long) TILE_VECTORS * lanes;
        long blockEnd = vectorEnd / tileWidth * tileWidth;
        List<Value> maxes = new ArrayList<>();
        if (vectorEnd > 0) {
            List<Value> vmax = new ArrayList<>();
            for (int r = 0; r < rows.size(); r++) {
                vmax.add(b.constant(VectorType.of(lanes, in.ct()), Double.NEGATIVE_INFINITY));
            }
            if (blockEnd > 0) {
                vmax = b.forRange(b.index(0), b.index(blockEnd), b.index(tileWidth), vmax,
                        (jb, j, m) -> tile(jb, in, rows, j, TILE_VECTORS, lanes, m));
            }
            if (blockEnd < vectorEnd) {
                vmax = tile(b, in, rows, b.index(blockEnd), (int) ((vectorEnd - blockEnd) / lanes), lanes, vmax);
            }
            for (Value m : vmax) {
                maxes.add(laneMax(b, m, in.ct()));
            }
        } else {
            for (int r = 0; r < rows.size(); r++) {
                maxes.add(b.constant(in.ct(), Double.NEGATIVE_INFINITY));
            }
        }
        if (vectorEnd < sk) {
            maxes = b.forRange(b.index(vectorEnd), b.index(sk), b.index(1), maxes,
                    (jb, j, m) -> tile(jb, in, rows, j, 1, 1, m));
        }
        return maxes;
    }

    /**
     * The tile of the group's rows times {@code count} vectors of {@code lanes} (scalars when 1)
     * from column j: stores the scores and returns each row's max folded with them.
     */
    private static List<Value> tile(LoopBuilder b, Inputs in, List<Row> rows, Value j, int count, int lanes,
            List<Value> maxes) {
        ScalarType ct = in.ct();
        Type vt = lanes > 1 ? VectorType.of(lanes, ct) : ct;
        int nr = rows.size();
        List<Value> inits = new ArrayList<>();
        for (int k = 0; k < nr * count; k++) {
            inits.add(b.constant(vt, GroupKernel.sumStart(in.d())));
        }
        // acc[r * count + u]: row r, vector u.
        List<Value> dots = b.forRange(b.index(0), b.index(in.d()), b.index(1), inits, (tb, t, acc) -> {
            List<Value> ks = new ArrayList<>(count);
            for (int u = 0; u < count; u++) {
                ks.add(in.kRow().at(tb, t, u == 0 ? j : tb.add(j, tb.index((long) u * lanes)), lanes));
            }
            List<Value> next = new ArrayList<>(acc);
            for (int r = 0; r < nr; r++) {
                Value qt = tb.cast(tb.load(in.q().buffer(), in.q().at(tb, in.bi(), rows.get(r).i(), t)), ct);
                Value qv = lanes > 1 ? tb.broadcast(qt, lanes) : qt;
                for (int u = 0; u < count; u++) {
                    next.set(r * count + u, tb.fma(qv, ks.get(u), acc.get(r * count + u)));
                }
            }
            return next;
        });
        List<Value> out = new ArrayList<>(maxes);
        for (int u = 0; u < count; u++) {
            Value ju = u == 0 ? j : b.add(j, b.index((long) u * lanes));
            for (int r = 0; r < nr; r++) {
                Value s = b.mul(dots.get(r * count + u), b.constant(vt, in.scale()));
                if (in.mask() != null) {
                    s = b.add(s, maskAt(b, in, rows.get(r).i(), ju, lanes));
                }
                if (lanes == 1) {
                    b.store(s, in.scores(), List.of(rows.get(r).row(), ju));
                } else {
                    b.vstore(s, in.scores(), List.of(rows.get(r).row(), ju));
                }
                out.set(r, b.select(b.cmp("gt", s, out.get(r)), s, out.get(r)));
            }
        }
        return out;
    }

    /** The mask at (i, j .. j+lanes) in the compute type: a vector along j, or one value broadcast. */
    private static Value maskAt(LoopBuilder b, Inputs in, Value i, Value j, int lanes) {
        Value mask = in.mask();
        long[] ms = ((MemRefType) mask.type()).shapeArray();
        List<Value> full = new ArrayList<>(in.bi());
        full.add(i);
        full.add(j);
        List<Value> mi = b.broadcastIndex(ms, full);
        boolean alongJ = ms.length > 0 && ms[ms.length - 1] != 1;
        Value mv = lanes == 1 ? b.load(mask, mi) : alongJ ? b.vload(mask, mi, lanes) : b.broadcast(b.load(mask, mi), lanes);
        return b.cast(mv, in.ct());
    }

    /**
     * Replaces the group's scores by {@code exp(s - shift)} and returns each row's sum: one loop of
     * vectors along Sk doing every row (a vector partial sum per row, reduced at the end), then the
     * scalar tail per row.
     */
    static List<Value> exp(LoopBuilder b, Value scores, List<Row> rows, List<Value> shifts, long sk, int lanes,
            ScalarType ct) {
        int nr = rows.size();
        long vectorEnd = lanes > 1 ? sk / lanes * lanes : 0;
        List<Value> sums = new ArrayList<>();
        if (vectorEnd > 0) {
            List<Value> vshift = new ArrayList<>();
            List<Value> inits = new ArrayList<>();
            for (int r = 0; r < nr; r++) {
                vshift.add(b.broadcast(shifts.get(r), lanes));
                inits.add(b.constant(VectorType.of(lanes, ct), GroupKernel.sumStart(sk)));
            }
            List<Value> partial = b.forRange(b.index(0), b.index(vectorEnd), b.index(lanes), inits, (jb, j, acc) -> {
                List<Value> next = new ArrayList<>(nr);
                for (int r = 0; r < nr; r++) {
                    List<Value> at = List.of(rows.get(r).row(), j);
                    Value e = expNormal(jb, jb.sub(jb.vload(scores, at, lanes), vshift.get(r)), ct);
                    jb.vstore(e, scores, at);
                    next.add(jb.add(acc.get(r), e));
                }
                return next;
            });
            for (Value p : partial) {
                sums.add(b.reduce("add", p));
            }
        } else {
            for (int r = 0; r < nr; r++) {
                sums.add(b.constant(ct, GroupKernel.sumStart(sk)));
            }
        }
        if (vectorEnd < sk) {
            sums = b.forRange(b.index(vectorEnd), b.index(sk), b.index(1), sums, (jb, j, acc) -> {
                List<Value> next = new ArrayList<>(nr);
                for (int r = 0; r < nr; r++) {
                    List<Value> at = List.of(rows.get(r).row(), j);
                    Value e = expNormal(jb, jb.sub(jb.load(scores, at), shifts.get(r)), ct);
                    jb.store(e, scores, at);
                    next.add(jb.add(acc.get(r), e));
                }
                return next;
            });
        }
        return sums;
    }

    /**
     * The largest lane of a NaN-free f32 vector as the largest lane of its bits mapped to ordered
     * signed integers ({@code bits ^ ((bits >> 31) & 0x7fffffff)}, its own inverse): a tree of
     * integer max instructions, where {@code loop.reduce max} (IEEE {@code maximum}) takes about
     * seven instructions per halving step for its NaN and signed-zero rules. The tile max never
     * holds NaN ({@code s > m ? s : m} from -inf), and +0 still wins over -0. Other types reduce as
     * before.
     */
    static Value laneMax(LoopBuilder b, Value v, ScalarType ct) {
        if (ct != ScalarType.F32) {
            return b.reduce("max", v);
        }
        Value key = orderedBits(b, b.bitcast(v, ScalarType.I32));
        return b.bitcast(orderedBits(b, b.reduce("max", key)), ScalarType.F32);
    }

    /** {@code x ^ ((x >> 31) & 0x7fffffff)} on i32 (a scalar or a vector). */
    private static Value orderedBits(LoopBuilder b, Value x) {
        Value sign = b.binary("loop.shr", x, b.constant(x.type(), 31L));
        return b.binary("loop.xor", x, b.binary("loop.and", sign, b.constant(x.type(), 0x7fffffffL)));
    }

    /**
     * Below this argument {@code exp} is subnormal in f32 ({@code ln FLT_MIN = -87.3365}): such
     * {@code p} are flushed to 0 (see {@link #expNormal}).
     */
    static final double SUBNORMAL_EXP_BELOW = -87.33;

    /**
     * {@code exp(x)}, or 0 where {@code x < SUBNORMAL_EXP_BELOW} (the exp is clamped there first,
     * so it never computes a subnormal). Subnormal results and products made x86 take a microcode
     * assist per instruction without FTZ/DAZ (about a tenth of the kernel at MiniLM's seq 128); a
     * p below {@code FLT_MIN} next to the row's max (p = 1) does not change the row's sum, and adds
     * at most {@code 1.2e-38 |v|} to an output. NaN passes through (the compare is false on NaN),
     * {@code -inf} gives 0 as before. Only f32 is flushed.
     */
    static Value expNormal(LoopBuilder b, Value x, ScalarType ct) {
        if (ct != ScalarType.F32) {
            return b.unary("loop.exp", x);
        }
        Value low = b.constant(x.type(), SUBNORMAL_EXP_BELOW);
        Value below = b.cmp("lt", x, low);
        Value e = b.unary("loop.exp", b.select(below, low, x));
        return b.select(below, b.constant(x.type(), 0.0), e);
    }
}
