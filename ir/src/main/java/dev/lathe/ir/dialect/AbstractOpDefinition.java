package dev.lathe.ir.dialect;

import java.util.Set;

/**
 * An op definition whose name, summary, schema and traits are fixed at construction, so a
 * concrete op only writes what is particular to it: type inference, verification, folding and
 * reference semantics.
 */
public abstract class AbstractOpDefinition implements OpDefinition {

    private final String name;
    private final String summary;
    private final OpSchema schema;
    private final Set<Trait> traits;

    protected AbstractOpDefinition(String name, String summary, OpSchema schema, Set<Trait> traits) {
        this.name = name;
        this.summary = summary;
        this.schema = schema;
        this.traits = Set.copyOf(traits);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String summary() {
        return summary;
    }

    @Override
    public final OpSchema schema() {
        return schema;
    }

    @Override
    public final Set<Trait> traits() {
        return traits;
    }
}
