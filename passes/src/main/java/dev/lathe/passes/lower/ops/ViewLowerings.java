package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.passes.lower.OpLowering;
import java.util.Set;

/**
 * Ops that only change the shape ({@code nn.reshape}, {@code nn.squeeze}, {@code nn.unsqueeze};
 * ONNX Flatten imports as a reshape): no kernel, {@code @main} sees the operand's bytes under the
 * result's static shape. Their dynamic forms' shape/axes operand decides the result type, so it
 * is a constant operand (the backend freezes it before specializing).
 */
final class ViewLowerings {

    private ViewLowerings() {}

    static void register(Lowerings r) {
        for (String name : new String[] {"nn.reshape", "nn.squeeze", "nn.unsqueeze"}) {
            r.register(name, VIEW);
        }
    }

    private static final OpLowering VIEW = new OpLowering() {
        @Override
        public void lower(KernelContext cx) {
            throw new IllegalStateException(cx.op().name() + " is a view and runs no kernel");
        }

        @Override
        public boolean isView(Operation op) {
            return true;
        }

        @Override
        public Set<Integer> constantOperands(Operation op) {
            return op.numOperands() > 1 ? Set.of(1) : Set.of();
        }
    };
}
