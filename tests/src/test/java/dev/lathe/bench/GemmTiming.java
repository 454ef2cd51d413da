package dev.lathe.bench;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.lowering.NativeCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times an f32 {@code nn.matmul} M x N x K compiled once by the CPU backend: the median of
 * repeated runs, as GFLOP/s. Not a test (no assertions); run its main:
 * {@code java -cp ... dev.lathe.bench.GemmTiming M N K THREADS [const] [REPS]} where {@code const}
 * makes B an {@code nn.constant} (a splat, so the weight path is timed, not its values).
 */
public final class GemmTiming {

    private GemmTiming() {}

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    public static void main(String[] args) {
        if (args[0].equals("check")) { // check M N K BATCH(-) const|input
            dev.lathe.lowering.PackedGemmCheck.run(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), args[4].equals("-") ? "" : args[4], args[5].equals("const"));
            System.out.println("ok");
            return;
        }
        int m = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        boolean constB = args.length > 4 && args[4].equals("const");
        int reps = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        String a = "tensor<" + m + "x" + k + "xf32>";
        String b = "tensor<" + k + "x" + n + "xf32>";
        String c = "tensor<" + m + "x" + n + "xf32>";
        String lir = constB
                ? "func.func @f(%a: " + a + ") -> " + c + " {\n  %b = \"nn.constant\"() {value = dense<0.5> : " + b
                        + "} : () -> " + b + "\n  %0 = \"nn.matmul\"(%a, %b) : (" + a + ", " + b + ") -> " + c
                        + "\n  func.return %0 : " + c + "\n}\n"
                : "func.func @f(%a: " + a + ", %b: " + b + ") -> " + c + " {\n  %0 = \"nn.matmul\"(%a, %b) : (" + a + ", "
                        + b + ") -> " + c + "\n  func.return %0 : " + c + "\n}\n";
        Module module = IRParser.parse(lir, "gemm.lir");
        List<DenseElementsAttr> inputs = new ArrayList<>();
        inputs.add(NativeCheck.random(TensorType.of(ScalarType.F32, m, k), -1, 1, 1));
        if (!constB) {
            inputs.add(NativeCheck.random(TensorType.of(ScalarType.F32, k, n), -1, 1, 2));
        }
        double flops = 2.0 * m * n * k;
        if (reps == 0) {
            reps = (int) Math.max(5, Math.min(200, 3e10 / flops));
        }
        try (CompiledCpuModel model = CpuBackend.compile(module, inputs, CpuBackend.Options.defaults().withThreads(threads))) {
            // Native buffers made once: timing the kernel, not the copies into and out of Java arrays.
            java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofAuto();
            java.lang.foreign.MemorySegment[] in = new java.lang.foreign.MemorySegment[inputs.size()];
            for (int i = 0; i < in.length; i++) {
                byte[] bytes = inputs.get(i).toBytes();
                in[i] = arena.allocate(bytes.length, 64);
                java.lang.foreign.MemorySegment.copy(bytes, 0, in[i], java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            }
            java.lang.foreign.MemorySegment[] out = {arena.allocate(4L * m * n, 64)};
            var nativeModel = model.nativeModel();
            for (int i = 0; i < 3; i++) {
                nativeModel.run(in, out);
            }
            long[] ns = new long[reps];
            long cpu0 = cpuNanos();
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                nativeModel.run(in, out);
                ns[i] = System.nanoTime() - t0;
            }
            double cpu = (cpuNanos() - cpu0) / 1e9 / reps;
            Arrays.sort(ns);
            double med = ns[reps / 2] / 1e9;
            double min = ns[0] / 1e9;
            // The machine is shared: CPU seconds per run (all threads of the process) say what the
            // kernel costs when it does get the cores; best and median wall times say what it got.
            System.out.printf(Locale.ROOT, "gemm %dx%dx%d threads=%d B=%s median %.3f ms  %.1f GFLOP/s  best %.1f"
                    + "  per-CPU-second %.1f GFLOP (reps %d)%n", m, n, k, threads, constB ? "const" : "input", med * 1e3,
                    flops / med / 1e9, flops / min / 1e9, flops / cpu / 1e9, reps);
        }
    }
}
