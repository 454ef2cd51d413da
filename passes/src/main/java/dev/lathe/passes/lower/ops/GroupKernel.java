package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The loop nest shared by reductions, softmax and normalizations. A <em>group</em> is the set of
 * elements of {@code x} that differ only in the reduced dims. For each group the kernel runs
 * {@link Stage}s in order (each one pass over the group folding it into accumulators, finished
 * into one <em>group value</em> that later stages and outputs see), then writes group outputs
 * (one element per group: a reduction result, a mean) and an element output (one per element of
 * {@code x}: a softmax, a normalized value).
 *
 * <p>Two layouts, chosen by the innermost dim of {@code x}:
 * <ul>
 *   <li><b>row</b> (innermost dim reduced): groups run in parallel; within a group the innermost
 *       dim runs in vectors with vector partial accumulators, folded to a scalar at the end
 *       ({@code loop.reduce}), plus a scalar remainder;</li>
 *   <li><b>column</b> (innermost dim kept): neighbouring groups share a vector, lane by lane, so
 *       every stage and output is plain vector code; parallel over outer groups and vector chunks,
 *       then the remainder columns in scalars.</li>
 * </ul>
 * Every element is loaded and cast to the compute type ({@code f32} for f16/bf16), as the
 * reference computes in double and rounds once.
 */
final class GroupKernel {

    /** What a stage or an output sees of one element (or one vector of elements). */
    record Element(Value x, Value pos, List<Value> group, List<Value> extras) {}

    /** One pass over each group, folding its elements into accumulators. */
    interface Stage {
        /** Accumulators before the first element, scalars ({@code width} 1) or vectors. */
        List<Value> init(LoopBuilder b, int width);

        /** The accumulators after element {@code e}. */
        List<Value> step(LoopBuilder b, List<Value> acc, Element e);

        /** Row layout: folds vector accumulators lane by lane into scalars and merges the scalar ones. */
        List<Value> mergeLanes(LoopBuilder b, List<Value> vectorAcc, List<Value> scalarAcc);

        /** The group value from the final accumulators. */
        Value finish(LoopBuilder b, List<Value> acc, List<Value> group);

        /** Whether lanes may fold in any order (false for index-tracking stages). */
        default boolean vectorizable() {
            return true;
        }

        default boolean needsPosition() {
            return false;
        }
    }

    @FunctionalInterface
    interface ElementFn {
        Value apply(LoopBuilder b, Element e);
    }

    @FunctionalInterface
    interface GroupFn {
        Value apply(LoopBuilder b, List<Value> group);
    }

    @FunctionalInterface
    interface ValueFn {
        Value apply(LoopBuilder b, Value v);
    }

    @FunctionalInterface
    interface FinishFn {
        Value apply(LoopBuilder b, Value acc, List<Value> group);
    }

    /** An operand read at each element: extra dim {@code e} follows x dim {@code dimOf[e]} (-1: index 0). */
    record Extra(Value buffer, int[] dimOf) {}

    private record GroupOutput(Value buffer, GroupFn fn) {}

    private final KernelContext cx;
    private final Value x;
    private final long[] shape;
    private final boolean[] reduced;
    private final ScalarType ct;
    private final List<Stage> stages = new ArrayList<>();
    private final List<Extra> extras = new ArrayList<>();
    private final List<GroupOutput> groupOutputs = new ArrayList<>();
    private Value elementOutput;
    private ElementFn elementFn;
    private boolean elementNeedsPosition;
    private long flopsPerElement = 1;

    private GroupKernel(KernelContext cx, Value x, boolean[] reduced, ScalarType computeType) {
        this.cx = cx;
        this.x = x;
        this.shape = ((MemRefType) x.type()).shapeArray();
        this.reduced = reduced.clone();
        this.ct = computeType;
    }

    /** Groups of buffer {@code x} over the dims {@code reduced}, computing in {@code computeType}. */
    static GroupKernel over(KernelContext cx, Value x, boolean[] reduced, ScalarType computeType) {
        return new GroupKernel(cx, x, reduced, computeType);
    }

    /** f32 for the half types (the reference rounds once from double), else the element type. */
    static ScalarType floatCompute(ScalarType et) {
        return et == ScalarType.F16 || et == ScalarType.BF16 ? ScalarType.F32 : et;
    }

    GroupKernel stage(Stage s) {
        stages.add(s);
        return this;
    }

    /** Adds an operand broadcast to x with numpy rules (dims aligned right). */
    GroupKernel extra(Value buffer) {
        int rank = ((MemRefType) buffer.type()).rank();
        int[] dimOf = new int[rank];
        for (int e = 0; e < rank; e++) {
            dimOf[e] = e + shape.length - rank;
        }
        return extra(buffer, dimOf);
    }

    GroupKernel extra(Value buffer, int[] dimOf) {
        extras.add(new Extra(buffer, dimOf.clone()));
        return this;
    }

    GroupKernel groupOutput(Value buffer, GroupFn fn) {
        groupOutputs.add(new GroupOutput(buffer, fn));
        return this;
    }

    GroupKernel elementOutput(Value buffer, boolean needsPosition, ElementFn fn) {
        this.elementOutput = buffer;
        this.elementFn = fn;
        this.elementNeedsPosition = needsPosition;
        return this;
    }

    /** Arithmetic per element and pass, for the cost model's choice of parallelism. */
    GroupKernel flopsPerElement(long flops) {
        this.flopsPerElement = Math.max(1, flops);
        return this;
    }

    // ---- stages

    /** {@code acc = acc <kind> map(e)}, kind one of add, mul, min, max; finished by {@code finish}. */
    static Stage fold(String kind, ScalarType accType, Number identity, ElementFn map, FinishFn finish) {
        return new Stage() {
            @Override
            public List<Value> init(LoopBuilder b, int width) {
                var t = width == 1 ? accType : dev.lathe.ir.type.VectorType.of(width, accType);
                return List.of(identity instanceof Double d ? b.constant(t, d) : b.constant(t, identity.longValue()));
            }

            @Override
            public List<Value> step(LoopBuilder b, List<Value> acc, Element e) {
                return List.of(b.binary("loop." + kind, acc.get(0), map.apply(b, e)));
            }

            @Override
            public List<Value> mergeLanes(LoopBuilder b, List<Value> vectorAcc, List<Value> scalarAcc) {
                return List.of(b.binary("loop." + kind, b.reduce(kind, vectorAcc.get(0)), scalarAcc.get(0)));
            }

            @Override
            public Value finish(LoopBuilder b, List<Value> acc, List<Value> group) {
                return finish.apply(b, acc.get(0), group);
            }
        };
    }

    /** The identity of a float sum over {@code n} terms: -0.0 (exact), or +0.0 for an empty sum, as the reference. */
    static double sumStart(long n) {
        return n == 0 ? 0.0 : -0.0;
    }

    /** Elements per group. */
    long groupSize() {
        long n = 1;
        for (int d = 0; d < shape.length; d++) {
            n *= reduced[d] ? shape[d] : 1;
        }
        return n;
    }

    long groupCount() {
        long n = 1;
        for (int d = 0; d < shape.length; d++) {
            n *= reduced[d] ? 1 : shape[d];
        }
        return n;
    }

    // ---- emission

    void emit() {
        if (groupCount() == 0) {
            return;
        }
        int r = shape.length;
        if (r > 0 && reduced[r - 1]) {
            emitRows();
        } else {
            emitColumns();
        }
    }

    private boolean usesPosition() {
        return elementNeedsPosition || stages.stream().anyMatch(Stage::needsPosition);
    }

    /** Vector lanes for the innermost dim: the machine's width, halved while wider than the dim. */
    private int lanesFor(long extent) {
        int lanes = cx.vectorLanes(ct);
        while (lanes > 1 && lanes > extent) {
            lanes /= 2;
        }
        return lanes < 2 || !extrasVectorize(shape.length - 1) ? 1 : lanes;
    }

    /** Whether every extra is contiguous or constant along x dim {@code vdim}. */
    private boolean extrasVectorize(int vdim) {
        for (Extra e : extras) {
            long[] es = ((MemRefType) e.buffer().type()).shapeArray();
            for (int k = 0; k < es.length; k++) {
                if (e.dimOf()[k] == vdim && es[k] > 1 && k != es.length - 1) {
                    return false;
                }
            }
        }
        return true;
    }

    private long grain(long iterations, long workPerIteration) {
        return ReductionSchedule.grain(cx, iterations, workPerIteration * flopsPerElement * (stages.size() + 1), ct);
    }

    private int[] dims(boolean wantReduced, boolean skipLast) {
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < shape.length - (skipLast ? 1 : 0); d++) {
            if (reduced[d] == wantReduced && shape[d] != 1) {
                out.add(d);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private long[] extents(int[] dims) {
        long[] e = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            e[i] = shape[dims[i]];
        }
        return e;
    }

    private Value[] zeroIndex(LoopBuilder b) {
        Value[] idx = new Value[shape.length];
        Arrays.fill(idx, b.index(0));
        return idx;
    }

    // ---- row layout

    private void emitRows() {
        int last = shape.length - 1;
        long n = shape[last];
        boolean vectorOk = !usesPosition() && stages.stream().allMatch(Stage::vectorizable);
        int lanes = vectorOk ? lanesFor(n) : 1;
        int[] kept = dims(false, false);
        int[] outerReduced = dims(true, true);
        long groups = groupCount();
        LoopBuilder b = cx.builder();
        b.parallel(0, groups, 1, grain(groups, groupSize()), (pb, flat) -> {
            Value[] idx = zeroIndex(pb);
            if (kept.length > 0) {
                List<Value> k = pb.delinearize(flat, extents(kept));
                for (int i = 0; i < kept.length; i++) {
                    idx[kept[i]] = k.get(i);
                }
            }
            List<Value> group = new ArrayList<>();
            for (Stage s : stages) {
                group.add(rowStage(pb, s, idx, outerReduced, n, lanes, group));
            }
            writeGroupOutputs(pb, idx, group, 1);
            if (elementOutput != null) {
                rowElements(pb, idx, outerReduced, n, lanes, group);
            }
        });
    }

    private Value rowStage(LoopBuilder b, Stage s, Value[] groupIdx, int[] outerReduced, long n, int lanes,
            List<Value> group) {
        int last = shape.length - 1;
        long vectorEnd = lanes > 1 ? n / lanes * lanes : 0;
        List<Value> groupVec = vectorEnd > 0 ? broadcastAll(b, group, lanes) : List.of();
        List<Value> vInit = vectorEnd > 0 ? s.init(b, lanes) : List.of();
        List<Value> sInit = s.init(b, 1);
        int nv = vInit.size();
        List<Value> inits = new ArrayList<>(vInit);
        inits.addAll(sInit);
        Value[] idx = groupIdx.clone();
        List<Value> acc = nest(b, outerReduced, idx, inits, (ib, a) -> {
            List<Value> v = a.subList(0, nv);
            List<Value> sc = a.subList(nv, a.size());
            if (vectorEnd > 0) {
                v = ib.forRange(ib.index(0), ib.index(vectorEnd), ib.index(lanes), v, (vb, j, c) -> {
                    idx[last] = j;
                    return s.step(vb, c, element(vb, idx, lanes, null, groupVec));
                });
            }
            if (vectorEnd < n) {
                sc = ib.forRange(ib.index(vectorEnd), ib.index(n), ib.index(1), sc, (sb, j, c) -> {
                    idx[last] = j;
                    return s.step(sb, c, element(sb, idx, 1, s.needsPosition() ? position(sb, idx) : null, group));
                });
            }
            List<Value> all = new ArrayList<>(v);
            all.addAll(sc);
            return all;
        });
        List<Value> merged = vectorEnd > 0 ? s.mergeLanes(b, acc.subList(0, nv), acc.subList(nv, acc.size()))
                : acc.subList(nv, acc.size());
        return s.finish(b, merged, List.copyOf(group));
    }

    private void rowElements(LoopBuilder b, Value[] groupIdx, int[] outerReduced, long n, int lanes, List<Value> group) {
        int last = shape.length - 1;
        long vectorEnd = lanes > 1 ? n / lanes * lanes : 0;
        List<Value> groupVec = vectorEnd > 0 ? broadcastAll(b, group, lanes) : List.of();
        Value[] idx = groupIdx.clone();
        nest(b, outerReduced, idx, List.of(), (ib, a) -> {
            if (vectorEnd > 0) {
                ib.forRange(0, vectorEnd, lanes, (vb, j) -> {
                    idx[last] = j;
                    storeElement(vb, idx, element(vb, idx, lanes, null, groupVec));
                });
            }
            if (vectorEnd < n) {
                ib.forRange(vectorEnd, n, 1, (sb, j) -> {
                    idx[last] = j;
                    storeElement(sb, idx, element(sb, idx, 1, elementNeedsPosition ? position(sb, idx) : null, group));
                });
            }
            return List.of();
        });
    }

    // ---- column layout

    private void emitColumns() {
        int r = shape.length;
        long n = r == 0 ? 1 : shape[r - 1];
        int lanes = r == 0 ? 1 : lanesFor(n);
        long chunks = lanes > 1 ? n / lanes : 0;
        int[] outerKept = r == 0 ? new int[0] : dims(false, true);
        long[] outerShape = extents(outerKept);
        long outer = Arrays.stream(outerShape).reduce(1, (a, c) -> a * c);
        LoopBuilder b = cx.builder();
        long work = groupSize();
        if (chunks > 0) {
            b.parallel(0, outer * chunks, 1, grain(outer * chunks, work * lanes), (pb, flat) -> {
                Value[] idx = outerIndex(pb, pb.div(flat, pb.index(chunks)), outerKept, outerShape);
                idx[r - 1] = pb.mul(pb.rem(flat, pb.index(chunks)), pb.index(lanes));
                columnGroups(pb, idx, lanes);
            });
        }
        if (chunks * lanes < n) {
            long tail = n - chunks * lanes;
            b.parallel(0, outer, 1, grain(outer, work * tail), (pb, o) -> {
                Value[] base = outerIndex(pb, o, outerKept, outerShape);
                if (r == 0) {
                    columnGroups(pb, base, 1);
                    return;
                }
                pb.forRange(chunks * lanes, n, 1, (sb, j) -> {
                    Value[] idx = base.clone();
                    idx[r - 1] = j;
                    columnGroups(sb, idx, 1);
                });
            });
        }
    }

    private Value[] outerIndex(LoopBuilder b, Value flat, int[] outerKept, long[] outerShape) {
        Value[] idx = zeroIndex(b);
        if (outerKept.length > 0) {
            List<Value> k = b.delinearize(flat, outerShape);
            for (int i = 0; i < outerKept.length; i++) {
                idx[outerKept[i]] = k.get(i);
            }
        }
        return idx;
    }

    /** {@code width} neighbouring groups at once (lanes of a vector), or one. */
    private void columnGroups(LoopBuilder b, Value[] groupIdx, int width) {
        int[] red = dims(true, false);
        List<Value> group = new ArrayList<>();
        for (Stage s : stages) {
            Value[] idx = groupIdx.clone();
            List<Value> acc = nest(b, red, idx, s.init(b, width), (ib, a) -> s.step(ib, a,
                    element(ib, idx, width, s.needsPosition() ? position(ib, idx) : null, group)));
            group.add(s.finish(b, acc, List.copyOf(group)));
        }
        writeGroupOutputs(b, groupIdx, group, width);
        if (elementOutput != null) {
            Value[] idx = groupIdx.clone();
            nest(b, red, idx, List.of(), (ib, a) -> {
                storeElement(ib, idx, element(ib, idx, width, elementNeedsPosition ? position(ib, idx) : null, group));
                return List.of();
            });
        }
    }

    // ---- shared pieces

    @FunctionalInterface
    private interface NestBody {
        List<Value> apply(LoopBuilder b, List<Value> carried);
    }

    /** Sequential loops over {@code dims} (setting {@code idx}), carrying {@code acc}. */
    private List<Value> nest(LoopBuilder b, int[] dims, Value[] idx, List<Value> acc, NestBody body) {
        return nest(b, dims, 0, idx, acc, body);
    }

    private List<Value> nest(LoopBuilder b, int[] dims, int k, Value[] idx, List<Value> acc, NestBody body) {
        if (k == dims.length) {
            return body.apply(b, acc);
        }
        int d = dims[k];
        return b.forRange(b.index(0), b.index(shape[d]), b.index(1), acc, (ib, iv, c) -> {
            idx[d] = iv;
            return nest(ib, dims, k + 1, idx, c, body);
        });
    }

    /** Row-major position of the element within its group. */
    private Value position(LoopBuilder b, Value[] idx) {
        Value pos = b.index(0);
        for (int d = 0; d < shape.length; d++) {
            if (reduced[d] && shape[d] != 1) {
                pos = b.add(b.mul(pos, b.index(shape[d])), idx[d]);
            }
        }
        return pos;
    }

    private Element element(LoopBuilder b, Value[] idx, int width, Value pos, List<Value> group) {
        List<Value> at = List.of(idx.clone());
        Value v = width == 1 ? b.load(x, at) : b.vload(x, at, width);
        List<Value> ex = new ArrayList<>();
        for (Extra e : extras) {
            ex.add(loadExtra(b, e, idx, width));
        }
        return new Element(b.cast(v, ct), pos, List.copyOf(group), ex);
    }

    private Value loadExtra(LoopBuilder b, Extra e, Value[] idx, int width) {
        long[] es = ((MemRefType) e.buffer().type()).shapeArray();
        List<Value> at = new ArrayList<>();
        boolean alongVector = false;
        for (int k = 0; k < es.length; k++) {
            int d = e.dimOf()[k];
            boolean follows = d >= 0 && es[k] != 1;
            at.add(follows ? idx[d] : b.index(0));
            alongVector |= follows && d == shape.length - 1;
        }
        if (width == 1) {
            return b.cast(b.load(e.buffer(), at), ct);
        }
        return alongVector ? b.cast(b.vload(e.buffer(), at, width), ct) : b.broadcast(b.cast(b.load(e.buffer(), at), ct), width);
    }

    private void storeElement(LoopBuilder b, Value[] idx, Element e) {
        Value v = b.cast(elementFn.apply(b, e), LoopBuilder.elementType(elementOutput));
        store(b, v, elementOutput, List.of(idx.clone()));
    }

    private void writeGroupOutputs(LoopBuilder b, Value[] groupIdx, List<Value> group, int width) {
        for (GroupOutput o : groupOutputs) {
            MemRefType t = (MemRefType) o.buffer().type();
            List<Value> at = new ArrayList<>();
            for (int d = 0; d < shape.length; d++) {
                if (!reduced[d]) {
                    at.add(groupIdx[d]);
                } else if (t.rank() == shape.length) {
                    at.add(b.index(0));
                }
            }
            if (at.size() != t.rank()) {
                throw cx.unsupported("a group output of type " + t.text() + " for groups of " + x.type().text());
            }
            store(b, b.cast(o.fn().apply(b, List.copyOf(group)), t.elementType()), o.buffer(), at);
        }
    }

    private static void store(LoopBuilder b, Value v, Value buffer, List<Value> at) {
        if (v.type() instanceof dev.lathe.ir.type.VectorType) {
            b.vstore(v, buffer, at);
        } else {
            b.store(v, buffer, at);
        }
    }

    private static List<Value> broadcastAll(LoopBuilder b, List<Value> scalars, int lanes) {
        List<Value> out = new ArrayList<>();
        for (Value s : scalars) {
            out.add(b.broadcast(s, lanes));
        }
        return out;
    }
}
