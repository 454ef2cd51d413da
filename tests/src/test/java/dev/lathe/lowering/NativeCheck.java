package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
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
