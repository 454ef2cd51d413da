package dev.lathe.frontend.onnx;

import dev.lathe.frontend.onnx.converters.BuiltinConverters;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The table from ONNX op types (of the default domain, {@code ai.onnx}) to converters. Lathe's
 * own converters are listed in {@link BuiltinConverters}; {@link #builtin()} returns a fresh
 * table holding them, which a caller may extend before importing.
 */
public final class OnnxOpRegistry {

    private final SortedMap<String, OnnxOpConverter> converters = new TreeMap<>();

    /** An empty table. */
    public OnnxOpRegistry() {}

    /** A new table with every converter Lathe ships. */
    public static OnnxOpRegistry builtin() {
        OnnxOpRegistry r = new OnnxOpRegistry();
        BuiltinConverters.registerAll(r);
        return r;
    }

    /** Registers the converter of a default-domain op type; registering one twice is an error. */
    public OnnxOpRegistry register(String opType, OnnxOpConverter converter) {
        if (converters.putIfAbsent(opType, converter) != null) {
            throw new IllegalStateException("a converter for ONNX op '" + opType + "' is already registered");
        }
        return this;
    }

    /** The converter for {@code opType} in {@code domain} ({@code ""} or {@code ai.onnx} for the default), or null. */
    public OnnxOpConverter lookup(String domain, String opType) {
        if (!OnnxImporter.DEFAULT_DOMAIN.equals(OnnxImporter.normalizeDomain(domain))) {
            return null;
        }
        return converters.get(opType);
    }

    /** The op types with a converter, sorted. */
    public SortedSet<String> opTypes() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(converters.keySet()));
    }
}
