package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Random;

/**
 * Compiles an {@code nn} function with the CPU backend and compares every output with the
 * reference interpreter on the same inputs. Floats compare with |a-b| <= atol + rtol·|ref|;
 * integers and i1 exactly.
 */
public final class NativeCheck {

    private NativeCheck() {}

    /** Runs {@code lir} natively (unoptimized and optimized) and through the interpreter. */
    public static void check(String lir, List<DenseElementsAttr> inputs, double rtol, double atol) {
        Module module = IRParser.parse(lir, "test.lir");
        Interpreter interp = new Interpreter(module);
        String fn = interp.functions().getFirst();
        List<DenseElementsAttr> want = interp.run(fn, inputs);
        for (boolean optimize : new boolean[] {false, true}) {
            try (CompiledCpuModel model = CpuBackend.compile(module, inputs,
                    CpuBackend.Options.defaults().withThreads(2).withOptimize(optimize))) {
                List<DenseElementsAttr> got = model.run(inputs);
                assertEquals(want.size(), got.size(), "output count");
                for (int i = 0; i < want.size(); i++) {
                    compare("output " + i + (optimize ? " (optimized)" : ""), want.get(i), got.get(i), rtol, atol);
                }
            }
        }
    }

    /**
     * Lowers {@code lir} as it is ({@code lower-to-loops,plan-buffers}, no graph pipeline, so no
     * folding replaces the kernel under test), runs it natively and compares with the interpreter.
     * Every input must be a runtime operand of static type.
     */
    public static void checkKernel(String lir, List<DenseElementsAttr> inputs, double rtol, double atol) {
        Module module = IRParser.parse(lir, "test.lir");
        Interpreter interp = new Interpreter(module);
        List<DenseElementsAttr> want = interp.run(interp.functions().getFirst(), inputs);
        List<DenseElementsAttr> got = runKernel(lir, inputs);
        assertEquals(want.size(), got.size(), "output count");
        for (int i = 0; i < got.size(); i++) {
            compare("output " + i + " (kernel)", want.get(i), got.get(i), rtol, atol);
        }
    }

    /**
     * The outputs of {@code lir} lowered as it is ({@code lower-to-loops,plan-buffers}, no graph
     * pipeline) and run natively; every input a runtime operand of static type.
     */
    public static List<DenseElementsAttr> runKernel(String lir, List<DenseElementsAttr> inputs) {
        return runKernel(lir, inputs, 2);
    }

    /** {@link #runKernel(String, List)} with {@code threads} threads for the parallel loops. */
    public static List<DenseElementsAttr> runKernel(String lir, List<DenseElementsAttr> inputs, int threads) {
        Module module = IRParser.parse(lir, "test.lir");
        Module lowered = module.copy();
        new PassManager(PassPipeline.parse(CpuBackend.LOWERING_PIPELINE)).verifyEach(true).disableCrashReproducer()
                .run(lowered);
        try (NativeModel model = JitCompiler.compile(lowered, JitCompiler.Options.defaults().withThreads(threads))) {
            return run(model, inputs);
        }
    }

    /** Runs a compiled model once on {@code inputs} (copied to native memory) and reads its outputs. */
    public static List<DenseElementsAttr> run(NativeModel model, List<DenseElementsAttr> inputs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] in = new MemorySegment[inputs.size()];
            for (int i = 0; i < in.length; i++) {
                byte[] bytes = inputs.get(i).toBytes();
                in[i] = arena.allocate(Math.max(1, bytes.length), 64);
                MemorySegment.copy(bytes, 0, in[i], ValueLayout.JAVA_BYTE, 0, bytes.length);
            }
            var specs = model.signature().outputs();
            MemorySegment[] out = new MemorySegment[specs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = arena.allocate(Math.max(1, specs.get(i).byteSize()), 64);
            }
            model.run(in, out);
            List<DenseElementsAttr> got = new java.util.ArrayList<>(out.length);
            for (int i = 0; i < out.length; i++) {
                var spec = specs.get(i);
                byte[] bytes = out[i].asSlice(0, spec.byteSize()).toArray(ValueLayout.JAVA_BYTE);
                got.add(DenseElementsAttr.fromBytes(TensorType.of(spec.shape(), spec.elementType()), bytes));
            }
            return got;
        }
    }

    public static void compare(String what, DenseElementsAttr want, DenseElementsAttr got, double rtol, double atol) {
        assertEquals(want.type(), got.type(), what + " type");
        long n = want.numElements();
        for (long k = 0; k < n; k++) {
            if (want.elementType().isFloat()) {
                double w = want.getDouble(k);
                double g = got.getDouble(k);
                boolean ok = Double.isNaN(w) ? Double.isNaN(g) : w == g || Math.abs(w - g) <= atol + rtol * Math.abs(w);
                if (!ok) {
                    fail(what + " element " + k + ": expected " + w + ", got " + g + " (rtol " + rtol + ", atol " + atol + ")");
                }
            } else if (want.getLong(k) != got.getLong(k)) {
                fail(what + " element " + k + ": expected " + want.getLong(k) + ", got " + got.getLong(k));
            }
        }
    }

    /** Uniform floats in [lo, hi), or integers in [lo, hi), reproducible by seed. */
    public static DenseElementsAttr random(TensorType type, double lo, double hi, long seed) {
        Random r = new Random(seed);
        int n = Math.toIntExact(type.numElements());
        if (type.elementType().isFloat()) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = lo + (hi - lo) * r.nextDouble();
            }
            return DenseElementsAttr.fromDoubles(type, v);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = (long) Math.floor(lo + (hi - lo) * r.nextDouble());
        }
        return DenseElementsAttr.fromLongs(type, v);
    }
}
