package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.OpDefinition;
import java.util.List;

/**
 * The shape and data-movement family: ops that move, pick, repeat or index elements without
 * arithmetic on them (plus {@code nn.cumsum} and the scatter reductions). {@code nn.reshape} and
 * {@code nn.transpose} are listed with the core ops.
 */
public final class ShapeOps {

    private ShapeOps() {}

    /** One instance of each op of the family, in documentation order. */
    public static List<OpDefinition> all() {
        return List.of(new ShapeOp(), new SizeOp(), new ConcatOp(), new SplitOp(), new SliceOp(), new GatherOp(),
                new GatherElementsOp(), new GatherNdOp(), new SqueezeOp(), new UnsqueezeOp(), new ExpandOp(),
                new TileOp(), new PadOp(), new ConstantOfShapeOp(), new RangeOp(), new TriluOp(),
                new ScatterElementsOp(), new ScatterNdOp(), new OneHotOp(), new DepthToSpaceOp(), new SpaceToDepthOp(),
                new EyeLikeOp(), new CompressOp(), new NonZeroOp(), new ReverseSequenceOp(), new CumSumOp());
    }
}
