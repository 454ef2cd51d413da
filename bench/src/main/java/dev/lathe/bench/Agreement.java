package dev.lathe.bench;

import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether two engines' outputs agree: every output of the reference present in the other, same
 * shape, and {@code |x - ref| <= atol + rtol * |ref|} element by element (numpy's {@code allclose};
 * NaN matches only NaN, integers compare the same way through doubles).
 *
 * <p>The default, {@link #DEFAULT}, is {@code atol 1e-4, rtol 1e-3}: the bound the test suite
 * uses for MiniLM against ONNX Runtime (tests/.../NativeRealModelsTest), the loosest of its
 * real-model bounds. Both engines compute in f32 with their own summation orders and math
 * functions; with random inputs an output can sit a few 1e-5 apart, and a wrong op moves it by
 * far more.
 */
public record Agreement(double atol, double rtol) {

    public static final Agreement DEFAULT = new Agreement(1e-4, 1e-3);

    /** What a comparison found: the largest absolute error, the worst error over its bound, problems (empty when it agrees). */
    public record Result(double maxAbsError, double worstFractionOfBound, List<String> problems) {

        public boolean agrees() {
            return problems.isEmpty();
        }

        public String summary(Agreement tolerance) {
            return summary(tolerance, "ort");
        }

        /** One line: agree or not, the largest error against {@code peer}, and the bound. */
        public String summary(Agreement tolerance, String peer) {
            return String.format("%s: max |lathe - %s| = %.3g, %.0f%% of the bound at the worst element (atol %.0e, rtol %.0e)",
                    agrees() ? "outputs agree" : "outputs DISAGREE", peer, maxAbsError, 100 * worstFractionOfBound,
                    tolerance.atol, tolerance.rtol);
        }
    }

    /** Compares {@code actual} with {@code reference}, output by output (by name). */
    public Result compare(Map<String, DenseElementsAttr> reference, Map<String, DenseElementsAttr> actual) {
        List<String> problems = new ArrayList<>();
        double maxError = 0;
        double worst = 0;
        for (Map.Entry<String, DenseElementsAttr> e : reference.entrySet()) {
            String name = e.getKey();
            DenseElementsAttr want = e.getValue();
            DenseElementsAttr got = actual.get(name);
            if (got == null) {
                problems.add("output '" + name + "' missing");
                continue;
            }
            if (!want.type().shape().equals(got.type().shape())) {
                problems.add("output '" + name + "': shape " + got.type().text() + ", reference " + want.type().text());
                continue;
            }
            int bad = 0;
            for (long i = 0; i < want.numElements(); i++) {
                double w = want.getDouble(i);
                double g = got.getDouble(i);
                double error = Math.abs(g - w);
                double bound = atol + rtol * Math.abs(w);
                boolean ok = Double.isNaN(w) ? Double.isNaN(g) : error <= bound;
                if (!ok) {
                    if (bad++ == 0) {
                        problems.add(String.format("output '%s' element %d: lathe %s, ort %s", name, i, g, w));
                    }
                }
                if (!Double.isNaN(error)) {
                    maxError = Math.max(maxError, error);
                    worst = Math.max(worst, error / bound);
                } else if (!Double.isNaN(w)) {
                    worst = Double.POSITIVE_INFINITY;
                }
            }
            if (bad > 1) {
                problems.add("output '" + name + "': " + bad + " elements out of bounds in all");
            }
        }
        return new Result(maxError, worst, List.copyOf(problems));
    }
}
