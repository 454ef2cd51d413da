package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.attention}: scaled dot-product attention {@code softmax(q·kᵀ·scale + mask)·v}.
 * Operands {@code q [..., Sq, D]}, {@code k [..., Sk, D]} (or {@code [..., D, Sk]} with
 * {@code k_transposed = true}), {@code v [..., Sk, Dv]} and an optional additive {@code mask}
 * broadcasting to {@code [..., Sq, Sk]} (its last two dims are 1 or equal to Sq and Sk; missing
 * leading dims count as 1). The batch dims {@code ...} of all operands broadcast with numpy rules.
 * Attributes {@code scale} (float, required) and {@code k_transposed} (bool, default false).
 * Result {@code [..., Sq, Dv]}. With {@code heads = H} (made by {@code fold-attention-heads}) q, k
 * and v are stored {@code [..., S, H*D]} (k not transposed) and the result {@code [..., Sq, H*Dv]}:
 * exactly the op without {@code heads} on {@code transpose(reshape(x, [..., S, H, D]), [..., H, S, D])}
 * with its result transposed and reshaped back; the mask broadcasts to {@code [..., H, Sq, Sk]}.
 * All operands of one float element type, every operand rank 2 or more
 * (the mask any rank).
 *
 * <p>{@code %o = "nn.attention"(%q, %k, %v, %m) {scale = 0.125 : f32, k_transposed = false}
 * : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x1x1x8xf32>) -> tensor<1x4x8x16xf32>}
 *
 * <p>Numerics (in double, rounded once): each score row is {@code scale·(q·k) + mask}, softmax
 * over the last axis shifted by the row's max, then its dot products with v. A row whose scores
 * are all {@code -inf} (fully masked) gives zeros, where the unfused {@code nn.softmax} gives NaN;
 * a row holding NaN or {@code +inf} gives NaN as {@code nn.softmax} does. Made by
 * {@code recognize-attention}.
 */
public final class AttentionOp extends AbstractOpDefinition {

    public static final String NAME = "nn.attention";

    public AttentionOp() {
        super(NAME, "scaled dot-product attention softmax(q·kᵀ·scale + mask)·v",
                OpSchema.of(3, AttrSpec.required("scale", FloatAttr.class),
                        AttrSpec.optional("k_transposed", BoolAttr.class),
                        AttrSpec.optional("heads", IntegerAttr.class)).withOperands(3, 4),
                Set.of(Trait.PURE));
    }

    /** Operand roles: batch shapes, sizes, mask strides and the result shape. */
    private record Plan(long[] qBatch, long[] kBatch, long[] vBatch, long[] mBatch, long[] batch,
            long sq, long sk, long d, long dv, long maskRows, long maskCols, long[] result, long heads) {

        /** The result's shape as stored: {@code [..., Sq, H*Dv]} with heads, else {@link #result}. */
        long[] storedResult() {
            return heads == 0 ? result : mergeHeads(result);
        }
    }

    /** The {@code heads} attribute, or 0 when absent (operands already {@code [..., H, S, D]}). */
    public static long heads(Map<String, Attribute> attributes) {
        Attribute a = attributes.get("heads");
        if (a == null) {
            return 0;
        }
        if (!(a instanceof IntegerAttr i) || i.value() < 1) {
            throw new InvalidOpException("attribute 'heads' must be a positive integer, found " + a.text());
        }
        return i.value();
    }

    /** {@code [..., S, H*D]} seen per head: {@code [..., H, S, D]}. */
    private static long[] splitHeads(long[] s, long h, String role) {
        long last = s[s.length - 1];
        if (last == TensorType.DYNAMIC || last % h != 0) {
            throw new InvalidOpException("expects " + role + "'s last dim to be a static multiple of heads = " + h
                    + ", found " + NnTypes.text(s));
        }
        long[] r = Arrays.copyOf(s, s.length + 1);
        r[s.length - 2] = h;
        r[s.length - 1] = s[s.length - 2];
        r[s.length] = last / h;
        return r;
    }

    /** {@code [..., H, S, D]} stored as {@code [..., S, H*D]}. */
    private static long[] mergeHeads(long[] s) {
        int n = s.length;
        long[] r = Arrays.copyOf(s, n - 1);
        r[n - 3] = s[n - 2];
        r[n - 2] = s[n - 3] * s[n - 1];
        return r;
    }

    /**
     * Moves values between {@code [outer, S, H, D]} (the stored layout) and {@code [outer, H, S, D]}
     * (per head); {@code toHeads} picks the direction.
     */
    private static double[] relayout(double[] x, long h, long s, long d, boolean toHeads) {
        double[] r = new double[x.length];
        int hh = (int) h;
        int ss = (int) s;
        int dd = (int) d;
        int outer = x.length / Math.max(1, hh * ss * dd);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < ss; i++) {
                for (int e = 0; e < hh; e++) {
                    int stored = ((o * ss + i) * hh + e) * dd;
                    int perHead = ((o * hh + e) * ss + i) * dd;
                    System.arraycopy(x, toHeads ? stored : perHead, r, toHeads ? perHead : stored, dd);
                }
            }
        }
        return r;
    }

    private static long[] batchOf(long[] shape) {
        return Arrays.copyOf(shape, shape.length - 2);
    }

    private static void requireRank2(TensorType t, String role) {
        if (t.rank() < 2) {
            throw new InvalidOpException("expects " + role + " of rank 2 or more, found " + t.text());
        }
    }

    /** Whether two dims can be equal: equal, or one is dynamic. */
    private static boolean agree(long a, long b) {
        return a == b || a == TensorType.DYNAMIC || b == TensorType.DYNAMIC;
    }

    private static long known(long a, long b) {
        return a == TensorType.DYNAMIC ? b : a;
    }

    private static Plan plan(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType q = NnTypes.tensor(operandTypes, 0);
        TensorType k = NnTypes.tensor(operandTypes, 1);
        TensorType v = NnTypes.tensor(operandTypes, 2);
        TensorType m = operandTypes.size() > 3 ? NnTypes.tensor(operandTypes, 3) : null;
        ReductionMath.requireFloat(q, "q");
        NnTypes.requireSameElementType(q, k);
        NnTypes.requireSameElementType(q, v);
        if (m != null) {
            NnTypes.requireSameElementType(q, m);
        }
        requireRank2(q, "q");
        requireRank2(k, "k");
        requireRank2(v, "v");
        boolean kt = NnTypes.bool(attributes, "k_transposed", false);
        long heads = heads(attributes);
        long[] qs = q.shapeArray();
        long[] ks = k.shapeArray();
        long[] vs = v.shapeArray();
        if (heads > 0) {
            if (kt) {
                throw new InvalidOpException("expects k_transposed = false with heads (k is [..., Sk, H*D])");
            }
            qs = splitHeads(qs, heads, "q");
            ks = splitHeads(ks, heads, "k");
            vs = splitHeads(vs, heads, "v");
        }
        long sq = qs[qs.length - 2];
        long d = qs[qs.length - 1];
        long kd = ks[ks.length - (kt ? 2 : 1)];
        long sk = ks[ks.length - (kt ? 1 : 2)];
        if (!agree(d, kd)) {
            throw new InvalidOpException("expects q's last dim " + d + " to equal k's head dim " + kd + " (k "
                    + (kt ? "[..., D, Sk]" : "[..., Sk, D]") + "), found " + q.text() + " and " + k.text());
        }
        if (!agree(sk, vs[vs.length - 2])) {
            throw new InvalidOpException("expects v's rows to equal k's sequence length " + sk + ", found "
                    + k.text() + " and " + v.text());
        }
        sk = known(sk, vs[vs.length - 2]);
        long[] batch = Broadcast.shape(batchOf(qs), batchOf(ks));
        batch = batch == null ? null : Broadcast.shape(batch, batchOf(vs));
        long[] mBatch = new long[0];
        long maskRows = 1;
        long maskCols = 1;
        if (m != null) {
            long[] ms = m.shapeArray();
            long[] padded = new long[Math.max(2, ms.length)];
            Arrays.fill(padded, 1);
            System.arraycopy(ms, 0, padded, padded.length - ms.length, ms.length);
            maskRows = padded[padded.length - 2];
            maskCols = padded[padded.length - 1];
            if (maskRows != 1 && !agree(maskRows, sq) || maskCols != 1 && !agree(maskCols, sk)) {
                throw new InvalidOpException("expects a mask broadcasting to [..., " + sq + ", " + sk
                        + "] without growing its last two dims, found " + m.text());
            }
            mBatch = batchOf(padded);
            batch = batch == null ? null : Broadcast.shape(batch, mBatch);
        }
        if (batch == null) {
            throw new InvalidOpException("expects batch dims that broadcast, found "
                    + operandTypes.stream().map(Type::text).toList());
        }
        long dv = vs[vs.length - 1];
        long[] result = Arrays.copyOf(batch, batch.length + 2);
        result[batch.length] = sq;
        result[batch.length + 1] = dv;
        return new Plan(batchOf(qs), batchOf(ks), batchOf(vs), mBatch, batch, sq, sk, known(d, kd), dv,
                maskRows, maskCols, result, heads);
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType q = NnTypes.tensor(operandTypes, 0);
        return List.of(NnTypes.type(q.elementType(), plan(operandTypes, attributes).storedResult()));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        Plan p = plan(operands.stream().map(a -> (Type) a.type()).toList(), op.attributes());
        boolean kt = NnTypes.bool(op.attributes(), "k_transposed", false);
        double scale = ((FloatAttr) op.attr("scale")).value();
        double[] q = operands.get(0).toDoubles();
        double[] k = operands.get(1).toDoubles();
        double[] v = operands.get(2).toDoubles();
        long h = p.heads();
        if (h > 0) { // the per-head view of [..., S, H*D] operands, computed as without heads
            q = relayout(q, h, p.sq(), p.d(), true);
            k = relayout(k, h, p.sk(), p.d(), true);
            v = relayout(v, h, p.sk(), p.dv(), true);
        }
        double[] mask = operands.size() > 3 ? operands.get(3).toDoubles() : null;
        int[] qBase = Broadcast.map(p.qBatch(), p.batch());
        int[] kBase = Broadcast.map(p.kBatch(), p.batch());
        int[] vBase = Broadcast.map(p.vBatch(), p.batch());
        int[] mBase = mask == null ? null : Broadcast.map(p.mBatch(), p.batch());
        int sq = Math.toIntExact(p.sq());
        int sk = Math.toIntExact(p.sk());
        int d = Math.toIntExact(p.d());
        int dv = Math.toIntExact(p.dv());
        int mRows = Math.toIntExact(p.maskRows());
        int mCols = Math.toIntExact(p.maskCols());
        double[] out = new double[IndexMath.count(p.result())];
        double[] scores = new double[sk];
        int o = 0;
        for (int b = 0; b < qBase.length; b++) {
            int qOff = qBase[b] * sq * d;
            int kOff = kBase[b] * sk * d;
            int vOff = vBase[b] * sk * dv;
            for (int i = 0; i < sq; i++) {
                for (int j = 0; j < sk; j++) {
                    double acc = NnTypes.sumStart(d);
                    for (int t = 0; t < d; t++) {
                        acc += q[qOff + i * d + t] * k[kOff + (kt ? t * sk + j : j * d + t)];
                    }
                    scores[j] = acc * scale;
                    if (mask != null) {
                        scores[j] += mask[mBase[b] * mRows * mCols + (mRows == 1 ? 0 : i) * mCols + (mCols == 1 ? 0 : j)];
                    }
                }
                double[] probs = softmax(scores);
                if (probs == null) {
                    o += dv; // a fully masked row stays +0.0
                    continue;
                }
                for (int c = 0; c < dv; c++, o++) {
                    double acc = NnTypes.sumStart(sk);
                    for (int j = 0; j < sk; j++) {
                        acc += probs[j] * v[vOff + j * dv + c];
                    }
                    out[o] = acc;
                }
            }
        }
        if (h > 0) {
            out = relayout(out, h, p.sq(), p.dv(), false);
        }
        return List.of(NnTypes.floats(operands.get(0).elementType(), p.storedResult(), out));
    }

    /** {@link SoftmaxOp#softmax} of one row, or null for a row of only {@code -inf} (whose result is zeros). */
    private static double[] softmax(double[] row) {
        boolean allNegativeInfinity = row.length > 0;
        for (double x : row) {
            allNegativeInfinity &= x == Double.NEGATIVE_INFINITY;
        }
        return allNegativeInfinity ? null : SoftmaxOp.softmax(row, false);
    }
}
