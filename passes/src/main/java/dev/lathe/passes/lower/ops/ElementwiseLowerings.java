package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.passes.lower.ElementwiseKernel;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.passes.lower.OpLowering;

/** Elementwise {@code nn} ops: each is a scalar function handed to {@link ElementwiseKernel}. */
public final class ElementwiseLowerings {

    private ElementwiseLowerings() {}

    public static void register(Lowerings r) {
        r.register("nn.add", elementwise((b, a) -> b.add(a.get(0), a.get(1))));
        r.register("nn.sub", elementwise((b, a) -> b.sub(a.get(0), a.get(1))));
        r.register("nn.mul", elementwise((b, a) -> b.mul(a.get(0), a.get(1))));
        r.register("nn.relu", elementwise((b, a) -> b.max(a.get(0), b.constant(a.get(0).type(), 0L))));
        r.register("nn.exp", elementwise((b, a) -> b.unary("loop.exp", a.get(0))));
        r.register("nn.tanh", elementwise((b, a) -> b.unary("loop.tanh", a.get(0))));
    }

    /** An elementwise lowering that may overwrite operand 0 when it dies (same shape and type). */
    static OpLowering elementwise(ElementwiseKernel.Body body) {
        return new OpLowering() {
            @Override
            public void lower(KernelContext cx) {
                ElementwiseKernel.emit(cx, body);
            }

            @Override
            public boolean mayRunInPlace(Operation op) {
                return true;
            }
        };
    }


}
