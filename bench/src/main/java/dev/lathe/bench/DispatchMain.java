package dev.lathe.bench;

import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code bench/dispatch [--threads N] [--loops K] [--seconds T]}: the cost of one
 * {@code loop.parallel} dispatch in the JIT's runtime. Times calls of a model whose {@code @main}
 * runs {@code K} parallel loops of two one-store iterations (grain 1, so each is handed to the
 * runtime as two chunks), against the same model with grain 2 (one chunk) and with a plain
 * {@code loop.for}, and prints the cost per loop over the plain loop of both: what a tiny
 * parallel kernel pays over a sequential one (the figure behind the cost model's
 * {@code TASK_DISPATCH_SECONDS}) and what a one-chunk parallel loop pays. Then the same for a
 * call after a pause longer than the pool's spin (workers parked): the cold dispatch.
 */
public final class DispatchMain {

    private DispatchMain() {}

    public static void main(String[] argv) {
        Args args = new Args(argv, java.util.List.of("threads", "loops", "seconds"));
        int threads = args.getInt("threads", 2);
        int loops = args.getInt("loops", 32);
        double seconds = args.getDouble("seconds", 2);
        // Two one-store iterations are far below the codegen's chunk floor, which would run them as one chunk.
        System.setProperty("lathe.minChunkOps", "0");
        var options = JitCompiler.Options.defaults().withThreads(threads);
        try (NativeModel pooled = JitCompiler.compile(module(loops, "{grain = 1}"), options);
                NativeModel direct = JitCompiler.compile(module(loops, "{grain = 2}"), options);
                NativeModel plain = JitCompiler.compile(module(loops, null), options);
                Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = {};
            MemorySegment[] out = {arena.allocate(64, 64)};
            double[] p = new double[7];
            double[] d = new double[7];
            double[] f = new double[7];
            for (int round = 0; round < p.length; round++) {
                p[round] = perCallNanos(pooled, in, out, seconds / p.length / 3);
                d[round] = perCallNanos(direct, in, out, seconds / p.length / 3);
                f[round] = perCallNanos(plain, in, out, seconds / p.length / 3);
            }
            double pm = median(p);
            double dm = median(d);
            double fm = median(f);
            System.out.printf(Locale.ROOT, "threads %d, %d loops a call: two chunks %.2f us/call, one chunk %.2f us/call,"
                    + " loop.for %.2f us/call%n", threads, loops, pm / 1e3, dm / 1e3, fm / 1e3);
            System.out.printf(Locale.ROOT, "one_chunk_us=%.3f dispatch_us=%.3f%n", (dm - fm) / loops / 1e3,
                    (pm - fm) / loops / 1e3);
        }
        // Cold: the pool idle for longer than its spin (parked workers), one two-chunk loop a call.
        try (NativeModel pooled = JitCompiler.compile(module(1, "{grain = 1}"), options);
                NativeModel plain = JitCompiler.compile(module(1, null), options);
                Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = {};
            MemorySegment[] out = {arena.allocate(64, 64)};
            double[] p = new double[301];
            double[] f = new double[301];
            for (int i = 0; i < p.length; i++) {
                p[i] = afterPause(pooled, in, out);
                f[i] = afterPause(plain, in, out);
            }
            System.out.printf(Locale.ROOT, "cold_dispatch_us=%.3f (median over %d calls after a 2 ms pause)%n",
                    (median(p) - median(f)) / 1e3, p.length);
        }
    }

    private static double afterPause(NativeModel m, MemorySegment[] in, MemorySegment[] out) {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long t0 = System.nanoTime();
        m.run(in, out);
        return System.nanoTime() - t0;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double perCallNanos(NativeModel m, MemorySegment[] in, MemorySegment[] out, double seconds) {
        for (int i = 0; i < 200; i++) {
            m.run(in, out);
        }
        long calls = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 50; i++) {
                m.run(in, out);
            }
            calls += 50;
        } while ((now = System.nanoTime()) < end);
        return (double) (now - t0) / calls;
    }

    /** {@code @main(%y: memref<2xf32>)}: {@code loops} times, {@code y[i] = 1} for i in 0..2 (a loop.for when {@code parallelAttrs} is null). */
    static Module module(int loops, String parallelAttrs) {
        StringBuilder k = new StringBuilder();
        k.append("""
                func.func @k(%y: memref<2xf32>) {
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %c2 = "loop.constant"() {value = 2 : index} : () -> index
                  %one = "loop.constant"() {value = 1.0 : f32} : () -> f32
                  "LOOP"(%c0, %c2, %c1) ({
                  ^bb0(%i: index):
                    "loop.store"(%one, %y, %i) : (f32, memref<2xf32>, index) -> ()
                    "loop.yield"() : () -> ()
                  }) ATTRS : (index, index, index) -> ()
                  func.return
                }
                func.func @main(%y: memref<2xf32>) attributes {inputs = [], outputs = ["y"]} {
                """.replace("LOOP", parallelAttrs == null ? "loop.for" : "loop.parallel")
                .replace("ATTRS", parallelAttrs == null ? "" : parallelAttrs));
        for (int i = 0; i < loops; i++) {
            k.append("  func.call @k(%y) : (memref<2xf32>) -> ()\n");
        }
        k.append("  func.return\n}\n");
        return IRParser.parse(k.toString(), "dispatch.lir");
    }
}
