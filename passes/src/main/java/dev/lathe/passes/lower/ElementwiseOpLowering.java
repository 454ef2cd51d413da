package dev.lathe.passes.lower;

import dev.lathe.ir.Operation;
import java.util.Optional;

/**
 * The lowering of an elementwise op given by its per-element function: {@link #body} is the
 * scalar/vector code of one element, which {@link ElementwiseKernel} wraps in broadcasting,
 * vector and thread loops. Exposing the body lets a fused kernel ({@code nn.fused}) apply the
 * same code to values in registers, so fused and unfused kernels compute identically and the
 * op tables exist once.
 */
public interface ElementwiseOpLowering extends OpLowering {

    /** The function computing one element of {@code op}'s result from its operands' elements. */
    ElementwiseKernel.Body body(Operation op);

    @Override
    default void lower(KernelContext cx) {
        ElementwiseKernel.emit(cx, body(cx.op()));
    }

    /** The elementwise body lowering registered for {@code op}'s name in {@code lowerings}, if any. */
    static Optional<ElementwiseOpLowering> of(Lowerings lowerings, Operation op) {
        return lowerings.lookup(op.name()).filter(ElementwiseOpLowering.class::isInstance)
                .map(ElementwiseOpLowering.class::cast);
    }

    /**
     * Work per element for the cost model: 1 per arithmetic op, 15 for a transcendental (the
     * polynomial it expands to; docs/costmodel.md's convention), 0 for a constant.
     */
    static long flopsPerElement(Operation op) {
        return switch (op.name()) {
            case "nn.constant" -> 0;
            case "nn.exp", "nn.log", "nn.erf", "nn.tanh", "nn.sigmoid", "nn.gelu", "nn.softplus", "nn.pow", "nn.sin",
                    "nn.cos", "nn.tan", "nn.asin", "nn.acos", "nn.atan", "nn.sinh", "nn.cosh", "nn.asinh", "nn.acosh",
                    "nn.atanh", "nn.elu", "nn.selu", "nn.celu" -> 15;
            default -> 1;
        };
    }
}
