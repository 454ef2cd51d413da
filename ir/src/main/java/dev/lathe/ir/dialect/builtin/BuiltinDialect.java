package dev.lathe.ir.dialect.builtin;

import dev.lathe.ir.Module;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.Dialect;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import java.util.List;
import java.util.Set;

/** {@code builtin.module}: the top-level container, printed as {@code module { ... }}. */
public final class BuiltinDialect implements Dialect {

    @Override
    public String namespace() {
        return "builtin";
    }

    @Override
    public List<OpDefinition> operations() {
        return List.of(new ModuleOpDefinition());
    }

    static final class ModuleOpDefinition extends AbstractOpDefinition {
        ModuleOpDefinition() {
            super(Module.OP_NAME, "top-level container of functions",
                    OpSchema.of(0).withResults(0).withRegions(1),
                    Set.of(Trait.SYMBOL_TABLE, Trait.ISOLATED_FROM_ABOVE));
        }
    }
}
