package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import java.util.Set;

/**
 * {@code nn.yield}: the terminator of the regions of {@code nn.if}, {@code nn.loop} and
 * {@code nn.scan}; its operands are what the region gives back to the op that runs it (the
 * outputs of the ONNX subgraph, in order). It has no results and is never evaluated on its own:
 * the interpreter hands its operands to the op owning the region.
 *
 * <p>{@code "nn.yield"(%cond, %sum) : (tensor<i1>, tensor<2xf32>) -> ()}
 */
public final class YieldOp extends AbstractOpDefinition {

    public static final String NAME = "nn.yield";

    public YieldOp() {
        super(NAME, "gives a region's values back to its nn.if, nn.loop, nn.scan, nn.sequence_map or nn.fused",
                OpSchema.of(0).withOperands(0, OpSchema.VARIADIC).withResults(0), Set.of(Trait.TERMINATOR, Trait.PURE));
    }

    @Override
    public void verify(Operation op) {
        Operation parent = op.parentOp();
        boolean ok = parent != null && (parent.isA(IfOp.NAME) || parent.isA(LoopOp.NAME) || parent.isA(ScanOp.NAME)
                || parent.isA(SequenceMapOp.NAME) || parent.isA(FusedOp.NAME));
        if (!ok) {
            throw new InvalidOpException("expects to terminate a region of nn.if, nn.loop, nn.scan, nn.sequence_map or nn.fused,"
                    + " found it in "
                    + (parent == null ? "no op" : "'" + parent.name() + "'"));
        }
    }
}
