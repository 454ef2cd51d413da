package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.dialect.Dialect;
import dev.lathe.ir.dialect.OpDefinition;
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

    @Override
    public List<OpDefinition> operations() {
        return List.of(new ConstantOp(), new AddOp(), new SubOp(), new MulOp(), new DivOp(), new ReluOp(),
                new MatmulOp(), new TransposeOp(), new ReshapeOp(), new ReduceSumOp());
    }
}
