package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.MelWeightMatrixOp;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.List;

/**
 * {@code nn.mel_weight_matrix}: the {@code [bins, mels]} triangular filters. Every operand of the
 * dynamic form is a constant operand (they decide the result's shape), so the CPU backend freezes
 * the graph inputs feeding them; a frozen matrix is then usually folded by {@code fold-constants}
 * before lowering. What reaches this lowering (the static form, or a matrix past fold-constants'
 * size limit) is generated per element, in parallel over rows: the {@code mels + 2} filter edges
 * ({@link MelWeightMatrixOp#points}, the reference's own code, so the bins are identical) go to
 * a scratch table, then element {@code (j, i)} with edges {@code l, c, r} of filter {@code i} is
 * {@code (j - l)/(c - l)} on the rising side {@code l <= j <= c} (1 when {@code c = l}), replaced
 * by {@code (r - j)/(r - c)} on the falling side {@code c <= j < r}, else 0: the reference's two
 * loops, the second overwriting the first at {@code j = c}. Divisions in f64, rounded once.
 */
final class MelWeightMatrixLowering {

    private MelWeightMatrixLowering() {}

    static OpLowering create() {
        return CopyLowerings.withConstants(MelWeightMatrixLowering::lower, 0, 1, 2, 3, 4);
    }

    private static void lower(KernelContext cx) {
        boolean dynamic = cx.numOperands() == 5;
        long mels = dynamic ? cx.constant(0).getLong(0) : ShapeAttrs.integer(cx.op(), "num_mel_bins", 0);
        long dft = dynamic ? cx.constant(1).getLong(0) : ShapeAttrs.integer(cx.op(), "dft_length", 0);
        long rate = dynamic ? cx.constant(2).getLong(0) : ShapeAttrs.integer(cx.op(), "sample_rate", 0);
        double lower = dynamic ? cx.constant(3).getDouble(0) : ReductionAttrs.real(cx.op(), "lower_edge_hertz", 0);
        double upper = dynamic ? cx.constant(4).getDouble(0) : ReductionAttrs.real(cx.op(), "upper_edge_hertz", 0);
        if (mels < 1 || dft < 1 || rate < 1) {
            throw cx.unsupported("num_mel_bins, dft_length and sample_rate must be >= 1 (an error in the reference)");
        }
        int[] points = MelWeightMatrixOp.points((int) mels, dft, rate, lower, upper);
        LoopBuilder b = cx.builder();
        Value edges = cx.scratch(MemRefType.of(ScalarType.I64, points.length));
        for (int k = 0; k < points.length; k++) {
            b.store(b.constant((dev.lathe.ir.type.Type) ScalarType.I64, (long) points[k]), edges, List.of(b.index(k)));
        }
        ScalarType et = LoopBuilder.elementType(cx.output(0));
        Generate.each(cx, cx.output(0), (eb, ivs) -> {
            Value j = ivs.get(0);
            Value i = ivs.get(1);
            Value l = eb.cast(eb.load(edges, List.of(i)), ScalarType.INDEX);
            Value c = eb.cast(eb.load(edges, List.of(eb.add(i, eb.index(1)))), ScalarType.INDEX);
            Value r = eb.cast(eb.load(edges, List.of(eb.add(i, eb.index(2)))), ScalarType.INDEX);
            Value jf = eb.cast(j, ScalarType.F64);
            Value lf = eb.cast(l, ScalarType.F64);
            Value cf = eb.cast(c, ScalarType.F64);
            Value rf = eb.cast(r, ScalarType.F64);
            Value one = eb.constant(ScalarType.F64, 1.0);
            // Divisors selected to 1 where their branch is not taken (no 0/0 computed).
            Value flat = eb.cmp("eq", c, l);
            Value rise = eb.select(flat, one, eb.div(eb.sub(jf, lf), eb.select(flat, one, eb.sub(cf, lf))));
            Value empty = eb.cmp("eq", r, c);
            Value fall = eb.div(eb.sub(rf, jf), eb.select(empty, one, eb.sub(rf, cf)));
            Value rising = eb.binary("loop.and", eb.cmp("le", l, j), eb.cmp("le", j, c));
            Value falling = eb.binary("loop.and", eb.cmp("le", c, j), eb.cmp("lt", j, r));
            Value v = eb.select(falling, fall, eb.select(rising, rise, eb.constant(ScalarType.F64, 0.0)));
            return eb.cast(v, et);
        });
    }
}
