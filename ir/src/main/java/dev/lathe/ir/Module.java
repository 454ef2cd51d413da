package dev.lathe.ir;

import dev.lathe.ir.attr.StringAttr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The unit of compilation: a {@code builtin.module} op whose single block holds functions,
 * plus the table of resource blobs that {@code dense_resource} attributes refer to.
 */
public final class Module {

    public static final String OP_NAME = "builtin.module";

    private final Operation op;
    private final Map<String, ResourceBlob> resources = new LinkedHashMap<>();

    private Module(Operation op) {
        this.op = op;
    }

    public static Module create(Location location) {
        Operation op = Operation.create(OP_NAME, List.of(), List.of(), Map.of(), 1, location);
        op.region(0).addBlock();
        return new Module(op);
    }

    public static Module create() {
        return create(Location.UNKNOWN);
    }

    /** The {@code builtin.module} op itself; passes run on it. */
    public Operation op() {
        return op;
    }

    public Block body() {
        return op.region(0).entryBlock();
    }

    public Location location() {
        return op.location();
    }

    /** Top-level ops named {@code func.func}, in order. */
    public List<Operation> functions() {
        List<Operation> fns = new ArrayList<>();
        for (Operation o : body().operations()) {
            if (o.isA("func.func")) {
                fns.add(o);
            }
        }
        return fns;
    }

    /** The top-level op whose {@code sym_name} is {@code name}. */
    public Optional<Operation> lookupSymbol(String name) {
        for (Operation o = body().first(); o != null; o = o.nextOp()) {
            if (o.attr("sym_name") instanceof StringAttr s && s.value().equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    public Map<String, ResourceBlob> resources() {
        return Collections.unmodifiableMap(resources);
    }

    public ResourceBlob resource(String name) {
        return resources.get(name);
    }

    public void putResource(String name, ResourceBlob blob) {
        resources.put(name, blob);
    }

    public void removeResource(String name) {
        resources.remove(name);
    }

    /** A name not yet used in the resource table, based on {@code base}. */
    public String uniqueResourceName(String base) {
        if (!resources.containsKey(base)) {
            return base;
        }
        for (int i = 1; ; i++) {
            String candidate = base + "_" + i;
            if (!resources.containsKey(candidate)) {
                return candidate;
            }
        }
    }

    /** A deep copy that shares the (immutable) resource blobs. */
    public Module copy() {
        Module m = new Module(op.clone(new IRMapping()));
        m.resources.putAll(resources);
        return m;
    }

    /** Walks every op inside the module, parents first (the module op itself excluded). */
    public void walk(java.util.function.Consumer<Operation> visitor) {
        body().walk(visitor);
    }
}
