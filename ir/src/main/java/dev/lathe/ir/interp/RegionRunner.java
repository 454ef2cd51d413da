package dev.lathe.ir.interp;

import dev.lathe.ir.Region;
import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.List;

/**
 * Runs a region of the op being evaluated, given to {@link EvaluatesRegions#evaluate} and
 * {@link EvaluatesValues#evaluateValues}. The region must belong to that op and have one block, ending
 * in a terminator; the region's ops see the values of the enclosing blocks (unless the op is
 * isolated from above).
 *
 * <p>A runner is valid only during the {@code evaluate} call that received it, and only on that
 * call's thread; it may be called any number of times (a loop body once per iteration).
 */
@FunctionalInterface
public interface RegionRunner {

    /**
     * Runs {@code region}'s block with {@code blockArguments} (checked against the block's
     * argument types) and returns the operands of its terminator, in order.
     */
    List<DenseElementsAttr> run(Region region, List<DenseElementsAttr> blockArguments);

    /**
     * Like {@link #run}, on values that may be sequences or optionals. The interpreter's runner
     * implements it directly; this default serves runners that know tensors only.
     */
    default List<RuntimeValue> runValues(Region region, List<RuntimeValue> blockArguments) {
        return RuntimeValue.wrap(run(region, RuntimeValue.tensors(blockArguments, "block argument")));
    }
}
