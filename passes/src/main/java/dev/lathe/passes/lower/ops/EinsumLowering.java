package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.EinsumOp;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code nn.einsum} for any equation the op accepts ({@link EinsumOp#plan}: diagonals from
 * repeated letters, transposes, sums, broadcasting ellipses): every output element is the sum,
 * over the labels missing from the output, of the product of one element per operand. Floats
 * accumulate in f64 from {@code -0.0} and round once, integers in i64 (wrapping, the same low
 * bits as the element type's), both as the interpreter does; products are taken in operand order.
 *
 * <p>Schedule: the output positions in one {@code loop.parallel}, the summed labels as a nest
 * of sequential loops carrying the sum. Operand dims of size 1 read index 0 (broadcast).
 */
final class EinsumLowering implements OpLowering {

    @Override
    public void lower(KernelContext cx) {
        List<TensorType> types = new ArrayList<>();
        for (int i = 0; i < cx.numOperands(); i++) {
            types.add(cx.inputType(i));
        }
        EinsumOp.Plan plan = EinsumOp.plan(((StringAttr) cx.op().attr("equation")).value(), types);
        long[] outShape = ((MemRefType) cx.output(0).type()).shapeArray();
        if (cx.outputType(0).numElements() == 0) {
            return;
        }
        int[] out = plan.output();
        List<Integer> summed = new ArrayList<>();
        boolean[] seen = new boolean[plan.sizes().length];
        for (int l : out) {
            seen[l] = true;
        }
        for (int[] in : plan.inputs()) {
            for (int l : in) {
                if (!seen[l]) {
                    seen[l] = true;
                    summed.add(l);
                }
            }
        }
        long terms = summed.stream().mapToLong(l -> plan.sizes()[l]).reduce(1, (a, b) -> a * b);
        ScalarType et = cx.outputType(0).elementType();
        ScalarType acc = et.isFloat() ? ScalarType.F64 : ScalarType.I64;
        long grain = Math.max(1, 4096 / Math.max(1, terms * types.size()));
        cx.builder().parallelEachIndex(outShape, outShape.length, grain, (b, outIdx) -> {
            Value[] at = new Value[plan.sizes().length];
            for (int p = 0; p < out.length; p++) {
                at[out[p]] = outIdx.get(p);
            }
            Value start = et.isFloat() ? b.constant(acc, terms == 0 ? 0.0 : -0.0) : b.constant((dev.lathe.ir.type.Type) acc, 0L);
            Value sum = sumOver(b, cx, plan, types, summed, 0, at, start, acc);
            b.store(b.cast(sum, et), cx.output(0), outIdx);
        });
    }

    /** The sum over summed labels {@code depth..} (an index each in {@code at}) added to {@code acc0}. */
    private static Value sumOver(LoopBuilder b, KernelContext cx, EinsumOp.Plan plan, List<TensorType> types,
            List<Integer> summed, int depth, Value[] at, Value acc0, ScalarType acc) {
        if (depth == summed.size()) {
            Value product = null;
            for (int i = 0; i < types.size(); i++) {
                int[] labels = plan.inputs()[i];
                List<Value> idx = new ArrayList<>(labels.length);
                for (int d = 0; d < labels.length; d++) {
                    idx.add(types.get(i).dim(d) == 1 ? b.index(0) : at[labels[d]]);
                }
                Value v = b.cast(b.load(cx.input(i), idx), acc);
                product = product == null ? v : b.mul(product, v);
            }
            return b.add(acc0, product);
        }
        int label = summed.get(depth);
        return b.forRange(b.index(0), b.index(plan.sizes()[label]), b.index(1), List.of(acc0), (lb, iv, carried) -> {
            Value[] inner = Arrays.copyOf(at, at.length);
            inner[label] = iv;
            return List.of(sumOver(lb, cx, plan, types, summed, depth + 1, inner, carried.get(0), acc));
        }).get(0);
    }
}
