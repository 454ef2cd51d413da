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
                new ReshapeShapeToAttribute(), new ResizeTargetToAttributes(),
                new ShapeOperandsToAttributes(), new SqueezeUnsqueezeChains(), new InlineConstantIf());
    }
}
