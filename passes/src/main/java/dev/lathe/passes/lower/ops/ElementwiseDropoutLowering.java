package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.ElementwiseKernel;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.List;

/**
 * {@code nn.dropout} with its run-time ratio and training flag: the reference covers only the
 * deterministic cases (not training, or ratio 0), where the output is {@code x} and the mask all
 * true. The kernel asserts it is in such a case (random dropout is an error, as in the reference),
 * then copies {@code x} and fills the mask.
 */
final class ElementwiseDropoutLowering implements OpLowering {

    @Override
    public void lower(KernelContext cx) {
        LoopBuilder b = cx.builder();
        Value ratio = b.load(cx.input(1), List.of());
        if (ElementwiseMath.isNarrowFloat(ElementwiseMath.elementOf(ratio))) {
            ratio = b.cast(ratio, ScalarType.F32);
        }
        Value training = b.load(cx.input(2), List.of());
        Value random = ElementwiseMath.and(b, training, b.cmp("ne", ratio, b.constant(ratio.type(), 0L)));
        b.assertTrue(b.unary("loop.not", random),
                "training-mode dropout with a nonzero ratio is random; only ratio 0 or inference is supported");
        Value x = cx.input(0);
        ElementwiseKernel.emit(cx, List.of(x), cx.output(0), (kb, a) -> a.get(0));
        // the mask reads x only for its lane count; the load is dead code
        ElementwiseKernel.emit(cx, List.of(x), cx.output(1),
                (kb, a) -> ElementwiseMath.boolConstant(kb, a.get(0), true));
    }

    @Override
    public boolean mayRunInPlace(Operation op) {
        return true;
    }
}
