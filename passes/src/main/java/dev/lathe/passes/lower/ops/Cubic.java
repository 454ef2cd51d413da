package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.LoopBuilder;

/**
 * Cubic convolution weights (Keys' kernel with coefficient {@code a}) of the four neighbours
 * {@code floor-1 .. floor+2} at fraction {@code r}, in f64 with the interpreter's operation order
 * ({@code ResizeKernel.cubic}), shared by {@code nn.resize} and {@code nn.grid_sample}.
 */
final class Cubic {

    private Cubic() {}

    static Value[] weights(LoopBuilder b, Value r, double a) {
        Value one = f64(b, 1);
        Value two = f64(b, 2);
        Value[] d = {b.add(one, r), r, b.sub(one, r), b.sub(two, r)};
        Value[] w = new Value[4];
        for (int i = 0; i < 4; i++) {
            Value t = d[i];
            // t <= 1: ((a + 2) t - (a + 3)) t t + 1; else ((a t - 5a) t + 8a) t - 4a
            Value near = b.add(b.mul(b.mul(b.sub(b.mul(f64(b, a + 2), t), f64(b, a + 3)), t), t), one);
            Value far = b.sub(b.mul(b.add(b.mul(b.sub(b.mul(f64(b, a), t), f64(b, 5 * a)), t), f64(b, 8 * a)), t),
                    f64(b, 4 * a));
            w[i] = b.select(b.cmp("le", t, one), near, far);
        }
        return w;
    }

    private static Value f64(LoopBuilder b, double v) {
        return b.constant(ScalarType.F64, v);
    }
}
