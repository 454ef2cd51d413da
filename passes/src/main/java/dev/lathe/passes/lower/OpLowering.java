package dev.lathe.passes.lower;

import dev.lathe.ir.Operation;
import dev.lathe.ir.type.TensorType;
import java.util.Set;

/**
 * How one {@code nn} op becomes {@code loop} code: {@link #lower} fills a kernel whose
 * arguments are the op's operand buffers, then its result buffers (docs/lowering.md).
 */
@FunctionalInterface
public interface OpLowering {

    /** Emits the kernel body through {@code cx.builder()}; throws {@link LoweringException} when it cannot. */
    void lower(KernelContext cx);

    /**
     * Operands read at compile time (a Reshape target, reduction axes, ...): they must come from
     * {@code nn.constant} and are not passed to the kernel; {@link KernelContext#constant} reads them.
     */
    default Set<Integer> constantOperands(Operation op) {
        return Set.of();
    }

    /**
     * Whether this lowering compiles the op's regions into its kernel (a fused op's body); ops
     * with regions are otherwise rejected (control flow is resolved before lowering).
     */
    default boolean lowersRegions(Operation op) {
        return false;
    }

    /**
     * Whether result 0 is operand 0's bytes seen with another shape (reshape, squeeze, ...): no
     * kernel runs, {@code @main} gets a {@code loop.view}.
     */
    default boolean isView(Operation op) {
        return false;
    }

    /**
     * Whether the kernel may write result 0 into operand 0's buffer when the operand dies here:
     * true for elementwise ops that read each element before writing the same position.
     */
    default boolean mayRunInPlace(Operation op) {
        return false;
    }

    /**
     * For a result whose shape depends on tensor data (one {@code ?} dim: NonZero, Compress,
     * Unique, NonMaxSuppression), a static upper bound of its type; null for an ordinary result.
     * The kernel writes the data into a buffer of the bound's shape (each element at its own
     * coordinates, the dynamic dim at its bound: see {@link KernelContext#extent}) and the
     * actual extent into {@link KernelContext#extent}. Such a result may only be returned from
     * the function (docs/lowering.md#data-dependent-shapes).
     */
    default TensorType resultBound(Operation op, int result) {
        return null;
    }
}
