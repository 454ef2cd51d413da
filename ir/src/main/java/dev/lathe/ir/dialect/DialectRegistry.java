package dev.lathe.ir.dialect;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** All known op definitions by name. The global registry loads every dialect on the class path. */
public final class DialectRegistry {

    private static final class Holder {
        static final DialectRegistry GLOBAL = loadAll();
    }

    private final Map<String, OpDefinition> ops = new TreeMap<>();
    private final Map<String, Dialect> dialects = new TreeMap<>();

    public static DialectRegistry global() {
        return Holder.GLOBAL;
    }

    private static DialectRegistry loadAll() {
        DialectRegistry r = new DialectRegistry();
        for (Dialect d : ServiceLoader.load(Dialect.class, DialectRegistry.class.getClassLoader())) {
            r.register(d);
        }
        return r;
    }

    public synchronized void register(Dialect dialect) {
        Dialect previous = dialects.putIfAbsent(dialect.namespace(), dialect);
        if (previous != null) {
            if (previous.getClass() == dialect.getClass()) {
                return;
            }
            throw new IllegalStateException("dialect '" + dialect.namespace() + "' registered twice");
        }
        for (OpDefinition def : dialect.operations()) {
            if (!def.name().startsWith(dialect.namespace() + ".")) {
                throw new IllegalStateException("op '" + def.name() + "' is not in dialect '" + dialect.namespace() + "'");
            }
            ops.put(def.name(), def);
        }
    }

    public synchronized Optional<OpDefinition> lookup(String opName) {
        return Optional.ofNullable(ops.get(opName));
    }

    public synchronized boolean isDialectRegistered(String namespace) {
        return dialects.containsKey(namespace);
    }

    public synchronized Collection<OpDefinition> allOps() {
        return Collections.unmodifiableCollection(new java.util.ArrayList<>(ops.values()));
    }
}
