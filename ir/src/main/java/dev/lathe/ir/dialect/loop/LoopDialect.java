package dev.lathe.ir.dialect.loop;

import dev.lathe.ir.dialect.Dialect;
import dev.lathe.ir.dialect.OpDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The target-neutral lowered level: buffers, loops, loads and stores, scalar and vector
 * arithmetic (docs/dialects/loop.md). Both backends consume it.
 */
public final class LoopDialect implements Dialect {

    @Override
    public String namespace() {
        return "loop";
    }

    @Override
    public List<OpDefinition> operations() {
        List<OpDefinition> ops = new ArrayList<>();
        ops.addAll(BufferOps.all());
        ops.addAll(ControlOps.all());
        ops.addAll(MemoryOps.all());
        ops.addAll(ArithOps.all());
        return ops;
    }
}
