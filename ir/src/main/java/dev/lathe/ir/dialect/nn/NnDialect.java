package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.Dialect;
import dev.lathe.ir.dialect.OpDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The graph-level dialect: tensor ops close to ONNX semantics but normalized (one matmul,
 * explicit numpy broadcasting, static reshape targets). Each op has reference semantics in
 * plain Java, the oracle that passes and backends are checked against. See docs/dialects/nn.md.
 */
public final class NnDialect implements Dialect {

    public static final String NAMESPACE = "nn";

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    /** Every op, family by family; a family adds one line here. */
    @Override
    public List<OpDefinition> operations() {
        List<OpDefinition> ops = new ArrayList<>();
        ops.addAll(List.of(new ConstantOp(), new AddOp(), new SubOp(), new MulOp(), new DivOp(), new ReluOp(),
                new MatmulOp(), new TransposeOp(), new ReshapeOp(), new ReduceSumOp()));
        ops.addAll(ElementwiseOps.all());
        ops.addAll(ReductionOps.all());
        ops.addAll(SpatialOps.all());
        ops.addAll(ShapeOps.all());
        ops.addAll(ControlFlowOps.all());
        ops.addAll(SequenceOps.all());
        ops.addAll(MiscOps.all());
        ops.add(new GeluOp());
        ops.add(new AttentionOp());
        ops.add(new FusedOp());
        return ops;
    }
}
