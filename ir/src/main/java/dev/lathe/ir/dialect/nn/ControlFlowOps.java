package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.OpDefinition;
import java.util.List;

/**
 * The control-flow family: ops whose regions hold code (ONNX If, Loop, Scan) and the terminator
 * of those regions. They run through {@link dev.lathe.ir.interp.EvaluatesRegions}, not plain
 * reference semantics, so folding leaves them alone; their regions may use values defined
 * above them.
 */
public final class ControlFlowOps {

    private ControlFlowOps() {}

    /** One instance of each op of the family, in documentation order. */
    public static List<OpDefinition> all() {
        return List.of(new IfOp(), new LoopOp(), new ScanOp(), new YieldOp());
    }
}
