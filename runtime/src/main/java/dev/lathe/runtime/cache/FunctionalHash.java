package dev.lathe.runtime.cache;

import dev.lathe.ir.Block;
import dev.lathe.ir.BlockArgument;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hash of what a function computes, after the idea of <em>Unified Functional Hashing</em>:
 * each value's hash comes from how it is computed, never from its name or position in the text.
 *
 * <ul>
 *   <li>a function argument hashes its position and type;</li>
 *   <li>an op hashes its name, its attributes (sorted by key; dense constants and resources by
 *       the SHA-256 of their bytes, so a resource's name does not count), its result types, its
 *       operands' hashes in order and its regions (ops inside a region in their order, block
 *       arguments by nesting depth and position); result {@code i} hashes the op's hash and {@code i};</li>
 *   <li>the function hashes its argument types, its returned values' hashes in order, and the
 *       sorted multiset of all its top-level op hashes (so dead ops count too).</li>
 * </ul>
 *
 * Renaming values or reordering independent ops at the top level leaves the hash unchanged;
 * changing any op, attribute, constant byte or type changes it. Ops reordered inside a nested
 * region (an {@code nn.if} branch) do change it: only a missed cache hit, never a wrong one.
 * Locations are ignored.
 */
public final class FunctionalHash {

    private final Map<Value, byte[]> values = new IdentityHashMap<>();
    private final Map<String, byte[]> resourceHashes = new HashMap<>();
    private final Module module;

    private FunctionalHash(Module module) {
        this.module = module;
    }

    /** The hash of {@code fn}, a function of {@code module} (whose resources its constants may name). */
    public static byte[] of(Module module, Operation fn) {
        return new FunctionalHash(module).function(fn);
    }

    private byte[] function(Operation fn) {
        Block body = FuncOps.body(fn);
        Sha h = new Sha("func");
        for (BlockArgument arg : body.arguments()) {
            byte[] a = new Sha("arg").add(arg.index()).add(arg.type().text()).digest();
            values.put(arg, a);
            h.add(arg.type().text());
        }
        List<byte[]> ops = new ArrayList<>();
        Operation ret = null;
        for (Operation op : body.operations()) {
            ops.add(op(op, 1));
            if (op.isA(FuncOps.RETURN)) {
                ret = op;
            }
        }
        ops.sort(Arrays::compare);
        h.add(ops.size());
        for (byte[] o : ops) {
            h.add(o);
        }
        if (ret != null) {
            for (Value v : ret.operands()) {
                h.add(hashOf(v));
            }
        }
        return h.digest();
    }

    private byte[] op(Operation op, int depth) {
        Sha h = new Sha("op").add(op.name());
        h.add(op.attributes().size());
        for (Map.Entry<String, Attribute> e : op.attributes().entrySet()) {
            h.add(e.getKey()).add(attr(e.getValue()));
        }
        h.add(op.numResults());
        for (Type t : op.resultTypes()) {
            h.add(t.text());
        }
        h.add(op.numOperands());
        for (Value v : op.operands()) {
            h.add(hashOf(v));
        }
        h.add(op.regions().size());
        for (Region r : op.regions()) {
            h.add(region(r, depth));
        }
        byte[] digest = h.digest();
        for (int i = 0; i < op.numResults(); i++) {
            values.put(op.result(i), new Sha("result").add(digest).add(i).digest());
        }
        return digest;
    }

    private byte[] region(Region r, int depth) {
        Sha h = new Sha("region").add(r.blocks().size());
        for (int b = 0; b < r.blocks().size(); b++) {
            Block block = r.blocks().get(b);
            h.add(block.numArguments());
            for (BlockArgument arg : block.arguments()) {
                values.put(arg, new Sha("blockarg").add(depth).add(b).add(arg.index()).add(arg.type().text()).digest());
                h.add(arg.type().text());
            }
            h.add(block.size());
            for (Operation op : block.operations()) {
                h.add(op(op, depth + 1));
            }
        }
        return h.digest();
    }

    private byte[] hashOf(Value v) {
        byte[] h = values.get(v);
        if (h == null) {
            throw new IllegalStateException("value " + v + " is used before it is defined");
        }
        return h;
    }

    private byte[] attr(Attribute a) {
        return switch (a) {
            case DenseElementsAttr d -> new Sha("dense").add(d.type().text()).add(Sha.of(d.toBytes())).digest();
            case DenseResourceAttr r -> new Sha("resource").add(r.type().text()).add(resource(r.name())).digest();
            case ArrayAttr arr -> {
                Sha h = new Sha("array").add(arr.elements().size());
                for (Attribute e : arr.elements()) {
                    h.add(attr(e));
                }
                yield h.digest();
            }
            default -> new Sha("attr").add(a.text()).digest();
        };
    }

    private byte[] resource(String name) {
        return resourceHashes.computeIfAbsent(name, n -> {
            ResourceBlob blob = module.resource(n);
            if (blob == null) {
                return new Sha("missing-resource").add(n).digest();
            }
            return Sha.of(blob.asReadOnlyBuffer());
        });
    }
}
