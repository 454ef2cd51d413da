package dev.lathe.frontend;

import dev.lathe.ir.Location;
import dev.lathe.ir.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SSA names visible at a point of the text. A region opens a child scope: its names are
 * visible inside it and in regions nested in it, and are forgotten when it closes. An op that is
 * isolated from above (a function) opens a root scope that sees nothing outside.
 */
final class ValueScope {

    /** The values one name stands for: a block argument, or all results of an op ({@code %x:2}). */
    record Definition(List<? extends Value> values, Location where) {}

    private final ValueScope parent;
    private final Map<String, Definition> names = new HashMap<>();

    private ValueScope(ValueScope parent) {
        this.parent = parent;
    }

    static ValueScope root() {
        return new ValueScope(null);
    }

    ValueScope child() {
        return new ValueScope(this);
    }

    /** The definition of {@code name} (without the '%'), here or in an enclosing scope, or null. */
    Definition lookup(String name) {
        for (ValueScope s = this; s != null; s = s.parent) {
            Definition d = s.names.get(name);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** Defines a name; returns the earlier definition visible here instead when there is one. */
    Definition define(String name, List<? extends Value> values, Location where) {
        Definition earlier = lookup(name);
        if (earlier != null) {
            return earlier;
        }
        names.put(name, new Definition(values, where));
        return null;
    }
}
