package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pooling ops, one table-driven family over {@code x [N, C, spatial...]}:
 *
 * <ul>
 *   <li>{@code nn.max_pool}: two results, the window maxima and their {@code i64} indices into
 *       the flattened input ({@code (n*C + c) * prod(spatial) + position}, the position
 *       row-major, or column-major with {@code storage_order = 1}); any arithmetic type. NaN
 *       propagates.</li>
 *   <li>{@code nn.average_pool}: the mean of the window's elements inside the input, or over the
 *       whole window inside the padded input with {@code count_include_pad = true}; floats.</li>
 *   <li>{@code nn.lp_pool}: {@code (sum |x|^p)^(1/p)} over the window ({@code p}, integer,
 *       default 2); floats.</li>
 *   <li>{@code nn.global_max_pool}, {@code nn.global_average_pool}, {@code nn.global_lp_pool}:
 *       the same over all spatial dims at once (result spatial dims 1); one result each.</li>
 * </ul>
 *
 * <p>Window attributes (not on the global ops): {@code kernel_shape} (required), {@code strides},
 * {@code dilations}, {@code pads}, {@code auto_pad}, {@code ceil_mode}; see {@link WindowGeometry}.
 *
 * <p>{@code %y, %i = "nn.max_pool"(%x) {kernel_shape = [2, 2], strides = [2, 2]} :
 * (tensor<1x3x32x32xf32>) -> (tensor<1x3x16x16xf32>, tensor<1x3x16x16xi64>)}
 *
 * <p>Sums accumulate in double and round once. A window entirely in the padding (possible only
 * with pads at least the kernel size) gives {@code -inf} (the type's minimum for integers) and
 * index -1 for max, NaN (0/0) for average; ONNX leaves that case open.
 */
public final class PoolOp extends AbstractOpDefinition {

    /** The reduction over one window. */
    public enum Kind { MAX, AVERAGE, LP }

    private final Kind kind;
    private final boolean global;

    private PoolOp(String name, String summary, Kind kind, boolean global) {
        super(name, summary, schema(kind, global), Set.of(Trait.PURE));
        this.kind = kind;
        this.global = global;
    }

    public static List<PoolOp> all() {
        return List.of(
                new PoolOp("nn.max_pool", "window maxima and their flat indices", Kind.MAX, false),
                new PoolOp("nn.average_pool", "window means", Kind.AVERAGE, false),
                new PoolOp("nn.lp_pool", "window p-norms", Kind.LP, false),
                new PoolOp("nn.global_max_pool", "maximum over all spatial dims", Kind.MAX, true),
                new PoolOp("nn.global_average_pool", "mean over all spatial dims", Kind.AVERAGE, true),
                new PoolOp("nn.global_lp_pool", "p-norm over all spatial dims", Kind.LP, true));
    }

    private static OpSchema schema(Kind kind, boolean global) {
        List<AttrSpec> attrs = new ArrayList<>();
        if (!global) {
            attrs.addAll(List.of(AttrSpec.required("kernel_shape", ArrayAttr.class),
                    AttrSpec.optional("strides", ArrayAttr.class), AttrSpec.optional("dilations", ArrayAttr.class),
                    AttrSpec.optional("pads", ArrayAttr.class), AttrSpec.optional("auto_pad", StringAttr.class),
                    AttrSpec.optional("ceil_mode", BoolAttr.class)));
        }
        switch (kind) {
            case MAX -> attrs.add(AttrSpec.optional("storage_order", IntegerAttr.class));
            case AVERAGE -> attrs.add(AttrSpec.optional("count_include_pad", BoolAttr.class));
            case LP -> attrs.add(AttrSpec.optional("p", IntegerAttr.class));
        }
        OpSchema s = OpSchema.of(1, attrs.toArray(AttrSpec[]::new));
        return kind == Kind.MAX && !global ? s.withResults(2) : s;
    }

    private WindowGeometry geometry(TensorType x, Map<String, Attribute> attributes) {
        ConvAttrs.requireMinRank(x, 3, "an input [N, C, spatial...]");
        if (kind == Kind.MAX) {
            NnTypes.requireArithmetic(x);
        } else {
            ConvAttrs.requireFloat(x, "an input");
        }
        long[] in = WindowGeometry.spatial(x.shapeArray());
        if (global) {
            long[] ones = new long[in.length];
            Arrays.fill(ones, 1);
            return new WindowGeometry(in, in, ones, ones, new long[in.length], new long[in.length], ones);
        }
        long[] kernel = NnTypes.longs(attributes, "kernel_shape");
        if (kernel == null) {
            throw new InvalidOpException("expects attribute 'kernel_shape', found none");
        }
        return WindowGeometry.of(in, kernel, attributes);
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        long[] shape = WindowGeometry.withSpatial(x.dim(0), x.dim(1), geometry(x, attributes).output());
        TensorType y = NnTypes.type(x.elementType(), shape);
        return kind == Kind.MAX && !global ? List.of(y, NnTypes.type(ScalarType.I64, shape)) : List.of(y);
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        Map<String, Attribute> attrs = op.attributes();
        WindowGeometry g = geometry(x.type(), attrs);
        long[] xs = x.type().shapeArray();
        long[] shape = WindowGeometry.withSpatial(xs[0], xs[1], g.output());
        int planes = (int) (xs[0] * xs[1]);
        int inSize = IndexMath.count(g.input());
        int outSize = IndexMath.count(g.output());
        int kSize = IndexMath.count(g.kernel());
        int[] taps = g.taps();
        int[] columnMajor = ConvAttrs.integer(attrs, "storage_order", 0) == 1 ? columnMajor(g.input()) : null;
        boolean includePad = NnTypes.bool(attrs, "count_include_pad", false);
        int[] padded = includePad ? paddedCounts(g) : null;
        double p = ConvAttrs.integer(attrs, "p", 2);
        boolean isFloat = x.elementType().isFloat();
        double[] fx = isFloat ? x.toDoubles() : null;
        long[] lx = isFloat ? null : x.toLongs();
        double[] fy = new double[planes * outSize];
        long[] ly = new long[isFloat ? 0 : planes * outSize];
        long[] index = new long[planes * outSize];
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * inSize;
            for (int o = 0; o < outSize; o++) {
                int at = plane * outSize + o;
                double sum = -0.0;
                double best = Double.NEGATIVE_INFINITY;
                long bestLong = Long.MIN_VALUE;
                int bestTap = -1;
                int count = 0;
                for (int k = 0; k < kSize; k++) {
                    int tap = taps[o * kSize + k];
                    if (tap < 0) {
                        continue;
                    }
                    count++;
                    if (!isFloat) {
                        long v = lx[base + tap];
                        if (bestTap < 0 || v > bestLong) {
                            bestLong = v;
                            bestTap = tap;
                        }
                        continue;
                    }
                    double v = fx[base + tap];
                    switch (kind) {
                        case MAX -> {
                            if (bestTap < 0 || v > best || Double.isNaN(v) && !Double.isNaN(best)) {
                                best = v;
                                bestTap = tap;
                            }
                        }
                        case AVERAGE -> sum += v;
                        case LP -> sum += Math.pow(Math.abs(v), p);
                    }
                }
                switch (kind) {
                    case MAX -> {
                        fy[at] = best;
                        if (!isFloat) {
                            ly[at] = bestTap < 0 ? Long.MIN_VALUE : bestLong;
                        }
                        long position = bestTap < 0 || columnMajor == null ? bestTap : columnMajor[bestTap];
                        index[at] = bestTap < 0 ? -1 : (long) base + position;
                    }
                    case AVERAGE -> fy[at] = count == 0 ? sum : sum / (includePad ? padded[o] : count);
                    case LP -> fy[at] = Math.pow(sum, 1.0 / p);
                }
            }
        }
        DenseElementsAttr y = isFloat ? NnTypes.floats(x.elementType(), shape, fy)
                : NnTypes.integers(x.elementType(), shape, ly);
        if (kind == Kind.MAX && !global) {
            return List.of(y, NnTypes.integers(ScalarType.I64, shape, index));
        }
        return List.of(y);
    }

    /** For each row-major spatial position, its column-major position (storage_order = 1). */
    private static int[] columnMajor(long[] spatial) {
        long[] reversed = new long[spatial.length];
        for (int d = 0; d < spatial.length; d++) {
            reversed[d] = spatial[spatial.length - 1 - d];
        }
        long[] rs = IndexMath.strides(reversed);
        long[] colStrides = new long[spatial.length];
        for (int d = 0; d < spatial.length; d++) {
            colStrides[d] = rs[spatial.length - 1 - d];
        }
        return IndexMath.offsets(spatial, colStrides);
    }

    /** Per output position, the window's element count inside the padded input (count_include_pad). */
    private static int[] paddedCounts(WindowGeometry g) {
        int n = g.input().length;
        int outSize = IndexMath.count(g.output());
        int[] counts = new int[outSize];
        long[] pos = new long[n];
        for (int o = 0; o < outSize; o++) {
            WindowGeometry.unravel(o, g.output(), pos);
            long c = 1;
            for (int d = 0; d < n; d++) {
                long start = pos[d] * g.strides()[d] - g.padsBegin()[d];
                long hits = 0;
                for (long k = 0; k < g.kernel()[d]; k++) {
                    long i = start + k * g.dilations()[d];
                    hits += i >= -g.padsBegin()[d] && i < g.input()[d] + g.padsEnd()[d] ? 1 : 0;
                }
                c *= hits;
            }
            counts[o] = (int) c;
        }
        return counts;
    }

    /** The reduction of this op. */
    public Kind kind() {
        return kind;
    }
}
