package dev.lathe.costmodel;

import dev.lathe.ir.type.ScalarType;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cost model knows about one kernel, independent of how it is scheduled.
 *
 * <p>The iteration space is a perfect loop nest with {@code extents}, listed outermost first.
 * {@code bytesRead} and {@code bytesWritten} are the compulsory traffic (every operand element moved
 * once). {@code operands} say which loops index each operand; the model uses them to count the
 * extra traffic of re-reading an operand once per tile of a loop that does not index it. An empty
 * list means "no reuse to model" (pure streaming). {@code reductionLoops} are loops whose iterations
 * combine into the same output elements; they may not be split across tasks.
 *
 * @param name           kernel name for messages, e.g. {@code k3_matmul}
 * @param flops          arithmetic operations (a multiply-add counts 2; count a transcendental as
 *                       the ~10-20 operations of its polynomial)
 * @param bytesRead      compulsory bytes read
 * @param bytesWritten   compulsory bytes written
 * @param extents        trip count of each loop, outermost first, each at least 1
 * @param elementType    element type of the arithmetic (decides SIMD lanes and peak)
 * @param reductionLoops indices of reduction loops, ascending
 * @param operands       the arrays the kernel reads and writes, with the loops indexing each
 */
public record KernelFeatures(String name, long flops, long bytesRead, long bytesWritten, List<Long> extents,
                             ScalarType elementType, List<Integer> reductionLoops, List<Operand> operands) {

    /**
     * One array of a kernel.
     *
     * @param name         for messages ({@code A}, {@code bias})
     * @param loops        the loops indexing it; its footprint in a tile is the product of their tiles
     * @param elementBytes bytes per element (may differ from the kernel's, e.g. int8 weights)
     * @param written      whether the kernel writes it
     */
    public record Operand(String name, List<Integer> loops, int elementBytes, boolean written) {
        public Operand {
            loops = List.copyOf(loops);
            if (elementBytes < 1) {
                throw new IllegalArgumentException("operand " + name + ": elementBytes must be at least 1, got " + elementBytes);
            }
        }

        public static Operand input(String name, ScalarType et, Integer... loops) {
            return new Operand(name, List.of(loops), et.byteSize(), false);
        }

        public static Operand output(String name, ScalarType et, Integer... loops) {
            return new Operand(name, List.of(loops), et.byteSize(), true);
        }

        /** Bytes of this operand touched by one tile ({@code tiles} clamped to the extents). */
        public double footprintBytes(List<Long> tiles) {
            double n = elementBytes;
            for (int l : loops) {
                n *= tiles.get(l);
            }
            return n;
        }
    }

    public KernelFeatures {
        extents = List.copyOf(extents);
        reductionLoops = List.copyOf(reductionLoops);
        operands = List.copyOf(operands);
        String where = "kernel " + name + ": ";
        if (flops < 0 || bytesRead < 0 || bytesWritten < 0) {
            throw new IllegalArgumentException(where + "flops and bytes must be non-negative, got flops=" + flops
                    + " read=" + bytesRead + " written=" + bytesWritten);
        }
        if (extents.isEmpty()) {
            throw new IllegalArgumentException(where + "needs at least one loop; describe a scalar kernel with extents [1]");
        }
        for (int l = 0; l < extents.size(); l++) {
            if (extents.get(l) < 1) {
                throw new IllegalArgumentException(where + "loop " + l + " has extent " + extents.get(l) + ", expected at least 1");
            }
        }
        int previous = -1;
        for (int r : reductionLoops) {
            if (r <= previous || r >= extents.size()) {
                throw new IllegalArgumentException(where + "reduction loops must be ascending indices below "
                        + extents.size() + ", got " + reductionLoops);
            }
            previous = r;
        }
        for (Operand o : operands) {
            for (int l : o.loops()) {
                if (l < 0 || l >= extents.size()) {
                    throw new IllegalArgumentException(where + "operand " + o.name() + " names loop " + l
                            + ", but the kernel has " + extents.size() + " loops");
                }
                if (o.written() && reductionLoops.contains(l)) {
                    throw new IllegalArgumentException(where + "loop " + l + " is a reduction loop but indexes written operand "
                            + o.name() + "; a reduction loop must not index the outputs");
                }
            }
        }
    }

    /** {@code out[i] = f(in0[i], ..., inK[i])} over {@code numElements}, flattened to one loop. */
    public static KernelFeatures elementwise(String name, long numElements, int inputs, int outputs,
                                             long flopsPerElement, ScalarType et) {
        List<Operand> ops = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            ops.add(Operand.input("in" + i, et, 0));
        }
        for (int i = 0; i < outputs; i++) {
            ops.add(Operand.output("out" + i, et, 0));
        }
        long b = et.byteSize();
        return new KernelFeatures(name, flopsPerElement * numElements, inputs * numElements * b,
                outputs * numElements * b, List.of(numElements), et, List.of(), ops);
    }

    /** {@code C[m,n] = sum_k A[m,k] * B[k,n]}; loops {@code [m, n, k]}, {@code k} reduces. */
    public static KernelFeatures gemm(String name, long m, long n, long k, ScalarType et) {
        long b = et.byteSize();
        return new KernelFeatures(name, 2 * m * n * k, (m * k + k * n) * b, m * n * b, List.of(m, n, k), et, List.of(2),
                List.of(Operand.input("A", et, 0, 2), Operand.input("B", et, 2, 1), Operand.output("C", et, 0, 1)));
    }

    /** {@code out[r] = reduce_c in[r,c]}; loops {@code [rows, cols]}, {@code cols} reduces. */
    public static KernelFeatures rowReduction(String name, long rows, long cols, long flopsPerElement, ScalarType et) {
        long b = et.byteSize();
        return new KernelFeatures(name, flopsPerElement * rows * cols, rows * cols * b, rows * b, List.of(rows, cols), et,
                List.of(1), List.of(Operand.input("in", et, 0, 1), Operand.output("out", et, 0)));
    }

    public int rank() {
        return extents.size();
    }

    public long extent(int loop) {
        return extents.get(loop);
    }

    /** Points in the iteration space. */
    public double iterations() {
        double n = 1;
        for (long e : extents) {
            n *= e;
        }
        return n;
    }

    public boolean reduces() {
        return !reductionLoops.isEmpty();
    }

    public boolean isReductionLoop(int loop) {
        return reductionLoops.contains(loop);
    }

    /** Compulsory bytes moved. */
    public long bytes() {
        return bytesRead + bytesWritten;
    }

    /** FLOPs per compulsory byte; infinite for a kernel that moves nothing. */
    public double arithmeticIntensity() {
        return bytes() == 0 ? Double.POSITIVE_INFINITY : (double) flops / bytes();
    }
}
