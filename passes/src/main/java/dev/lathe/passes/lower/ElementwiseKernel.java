package dev.lathe.passes.lower;

import dev.lathe.costmodel.KernelFeatures;
import dev.lathe.costmodel.Schedule;
import dev.lathe.costmodel.Schedules;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits {@code out[i] = f(in0[i'], in1[i''], ...)} with numpy broadcasting: the innermost
 * dimension runs in vectors of the machine's width (operands broadcast along it are loaded once
 * and splatted), a scalar loop takes the remainder, and the outer dimensions are split across
 * threads as the cost model chooses. {@code f} sees each operand in its own element type, as a
 * scalar or as a vector (the same code serves both) and returns the result's element type.
 */
public final class ElementwiseKernel {

    /** The scalar function; {@code args} are scalars or vectors of one length. */
    @FunctionalInterface
    public interface Body {
        Value apply(LoopBuilder b, List<Value> args);
    }

    private ElementwiseKernel() {}

    /** Every non-constant operand of the op in order, result 0 as the output. */
    public static void emit(KernelContext cx, Body body) {
        List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < cx.numOperands(); i++) {
            inputs.add(cx.input(i));
        }
        emit(cx, inputs, cx.output(0), body);
    }

    public static void emit(KernelContext cx, List<Value> inputs, Value output, Body body) {
        emit(cx, inputs, List.of(output), 1, (b, args) -> List.of(body.apply(b, args)));
    }

    /**
     * A function with several results of one shape (a fused kernel): {@code out_r[i] = f_r(...)},
     * every output of the same shape, which is the iteration space. {@code flopsPerElement}
     * describes the work per element to the cost model (it decides the thread split).
     */
    public static void emit(KernelContext cx, List<Value> inputs, List<Value> outputs, long flopsPerElement,
            MultiBody body) {
        MemRefType out = (MemRefType) outputs.get(0).type();
        long[] shape = out.shapeArray();
        for (Value o : outputs) {
            if (!java.util.Arrays.equals(((MemRefType) o.type()).shapeArray(), shape)) {
                throw new IllegalArgumentException("elementwise outputs must share one shape, found "
                        + out.text() + " and " + o.type().text());
            }
        }
        int rank = shape.length;
        long inner = rank == 0 ? 1 : shape[rank - 1];
        long outer = out.numElements() / Math.max(1, inner);
        if (out.numElements() == 0) {
            return;
        }
        int lanes = chooseLanes(cx, outputs, inputs);
        long tasks = chooseTasks(cx, out, inputs.size(), outputs.size(), flopsPerElement);
        LoopBuilder b = cx.builder();
        if (rank == 0) {
            List<Value> args = new ArrayList<>();
            for (Value in : inputs) {
                args.add(b.load(in, List.of()));
            }
            List<Value> results = body.apply(b, args);
            for (int r = 0; r < outputs.size(); r++) {
                b.store(results.get(r), outputs.get(r), List.of());
            }
            return;
        }
        long[] outerShape = java.util.Arrays.copyOf(shape, rank - 1);
        long grain = Math.max(1, (outer + tasks - 1) / tasks);
        b.parallel(0, outer, 1, tasks > 1 ? grain : outer, (pb, flat) -> {
            List<Value> lead = outerShape.length == 0 ? List.of() : pb.delinearize(flat, outerShape);
            row(pb, inputs, outputs, shape, lead, inner, lanes, body);
        });
    }

    /** Several results per element, one per output (scalars or vectors of one length, as the args). */
    @FunctionalInterface
    public interface MultiBody {
        List<Value> apply(LoopBuilder b, List<Value> args);
    }

    /** One row of the innermost dimension: vectors, then the scalar remainder. */
    private static void row(LoopBuilder b, List<Value> inputs, List<Value> outputs, long[] outShape, List<Value> lead,
            long inner, int lanes, MultiBody body) {
        int n = inputs.size();
        boolean[] splat = new boolean[n];
        Value[] scalars = new Value[n];
        for (int k = 0; k < n; k++) {
            MemRefType t = (MemRefType) inputs.get(k).type();
            splat[k] = t.rank() == 0 || t.dim(t.rank() - 1) == 1;
            if (splat[k]) {
                scalars[k] = b.load(inputs.get(k), operandIndices(b, t, outShape, lead, b.index(0)));
            }
        }
        long vectorEnd = lanes > 1 ? inner / lanes * lanes : 0;
        if (vectorEnd > 0) {
            Value[] splats = new Value[n];
            for (int k = 0; k < n; k++) {
                if (splat[k]) {
                    splats[k] = b.broadcast(scalars[k], lanes);
                }
            }
            b.forRange(0, vectorEnd, lanes, (vb, j) -> {
                List<Value> args = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    MemRefType t = (MemRefType) inputs.get(k).type();
                    args.add(splat[k] ? splats[k] : vb.vload(inputs.get(k), operandIndices(vb, t, outShape, lead, j), lanes));
                }
                List<Value> results = body.apply(vb, args);
                for (int r = 0; r < outputs.size(); r++) {
                    vb.vstore(results.get(r), outputs.get(r), outIndices(lead, j));
                }
            });
        }
        if (vectorEnd < inner) {
            b.forRange(vectorEnd, inner, 1, (sb, j) -> {
                List<Value> args = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    MemRefType t = (MemRefType) inputs.get(k).type();
                    args.add(splat[k] ? scalars[k] : sb.load(inputs.get(k), operandIndices(sb, t, outShape, lead, j)));
                }
                List<Value> results = body.apply(sb, args);
                for (int r = 0; r < outputs.size(); r++) {
                    sb.store(results.get(r), outputs.get(r), outIndices(lead, j));
                }
            });
        }
    }

    private static List<Value> outIndices(List<Value> lead, Value j) {
        List<Value> idx = new ArrayList<>(lead);
        idx.add(j);
        return idx;
    }

    /** numpy broadcasting: the operand's dims align right; a size-1 dim reads index 0. */
    private static List<Value> operandIndices(LoopBuilder b, MemRefType t, long[] outShape, List<Value> lead, Value last) {
        int offset = outShape.length - t.rank();
        List<Value> idx = new ArrayList<>(t.rank());
        for (int d = 0; d < t.rank(); d++) {
            int od = d + offset;
            if (t.dim(d) == 1 && outShape[od] != 1) {
                idx.add(b.index(0));
            } else {
                idx.add(od == outShape.length - 1 ? last : lead.get(od));
            }
        }
        return idx;
    }

    /**
     * Lanes of one register of the widest element among the operands and the result (a
     * comparison of f64 into i1 takes f64's lanes), at most the row length.
     */
    private static int chooseLanes(KernelContext cx, List<Value> outputs, List<Value> inputs) {
        MemRefType out = (MemRefType) outputs.get(0).type();
        long inner = out.rank() == 0 ? 1 : out.dim(out.rank() - 1);
        ScalarType widest = out.elementType();
        List<Value> all = new ArrayList<>(inputs);
        all.addAll(outputs);
        for (Value in : all) {
            ScalarType et = ((MemRefType) in.type()).elementType();
            if (et.byteSize() > widest.byteSize()) {
                widest = et;
            }
        }
        int lanes = cx.vectorLanes(widest);
        while (lanes > 1 && lanes > inner) {
            lanes /= 2;
        }
        return lanes < 2 ? 1 : lanes;
    }

    /** How many parallel tasks the cost model wants for this much elementwise work. */
    private static long chooseTasks(KernelContext cx, MemRefType out, int inputs, int outputs, long flopsPerElement) {
        KernelFeatures f = KernelFeatures.elementwise("elementwise", out.numElements(), inputs, outputs,
                flopsPerElement, out.elementType());
        Schedule s = cx.costModel().best(f, Schedules.elementwise(out.numElements(), out.elementType(), cx.machine()));
        return s.parallelLoop() < 0 ? 1 : s.tasks();
    }
}
