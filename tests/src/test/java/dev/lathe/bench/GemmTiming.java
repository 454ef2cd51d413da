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
            for (int i = 0; i < 2; i++) {
                model.run(inputs);
            }
            long[] ns = new long[reps];
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                model.run(inputs);
                ns[i] = System.nanoTime() - t0;
            }
            Arrays.sort(ns);
            double med = ns[reps / 2] / 1e9;
            System.out.printf(Locale.ROOT, "gemm %dx%dx%d threads=%d B=%s median %.3f ms  %.1f GFLOP/s (reps %d)%n",
                    m, n, k, threads, constB ? "const" : "input", med * 1e3, flops / med / 1e9, reps);
        }
    }
}
