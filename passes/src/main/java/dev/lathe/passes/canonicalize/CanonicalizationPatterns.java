package dev.lathe.passes.canonicalize;

import dev.lathe.passes.rewrite.RewritePattern;
import java.util.List;

/**
 * The patterns of the {@code canonicalize} pass. Dead-op removal and folding are not listed:
 * the greedy driver does both for every op.
 */
public final class CanonicalizationPatterns {

    private CanonicalizationPatterns() {}

    public static List<RewritePattern> all() {
        return List.of(new MoveConstantOperandRight(), new ComposeTransposes(), new ComposeReshapes(),
                new ReshapeShapeToAttribute(), new ResizeTargetToAttributes(), new FourierLengthsToAttributes(),
                new ShapeOperandsToAttributes(),
                new ReduceAxesToAttribute(), new SqueezeUnsqueezeChains(), new InlineConstantIf(),
                // sequences and optionals whose structure is known (after the CPU backend's specialization)
                new FoldSequenceAt(), new FoldSequenceLength(), new InsertIntoKnownSequence(),
                new EraseFromKnownSequence(), new FoldOptionalHasElement(), new FoldOptionalGetElement(),
                new ConcatKnownSequence(), new UnrollSequenceMap());
    }
}
