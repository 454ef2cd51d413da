package dev.lathe.passes.transforms;

import dev.lathe.ir.Module;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.type.TensorType;
import java.util.HashSet;
import java.util.Set;

/**
 * The module resource blobs of the constants a pass makes: a large new value goes into a blob
 * (64-byte aligned, as the ONNX importer's), and blobs that no op refers to any more after the
 * pass are dropped, so the module does not carry dead weights to the backend.
 */
final class ResourceConstants {

    private ResourceConstants() {}

    /** A new resource blob {@code base[N]} adopting {@code bytes} (not copied), referenced as a {@code type} value. */
    static DenseResourceAttr resource(Module module, String base, TensorType type, byte[] bytes) {
        String name = module.uniqueResourceName(base);
        module.putResource(name, ResourceBlob.adopt(bytes, 64));
        return new DenseResourceAttr(name, type);
    }

    /** Names of the resources some op's attribute refers to (nested in arrays too). */
    static Set<String> referenced(Module module) {
        Set<String> names = new HashSet<>();
        module.walk(op -> op.attributes().values().forEach(a -> collect(a, names)));
        return names;
    }

    /** Removes those of {@code candidates} that no op refers to; returns how many went. */
    static int dropUnreferenced(Module module, Set<String> candidates) {
        Set<String> unused = new HashSet<>(candidates);
        unused.removeAll(referenced(module));
        unused.forEach(module::removeResource);
        return unused.size();
    }

    private static void collect(Attribute a, Set<String> names) {
        if (a instanceof DenseResourceAttr r) {
            names.add(r.name());
        } else if (a instanceof ArrayAttr array) {
            array.elements().forEach(e -> collect(e, names));
        }
    }
}
