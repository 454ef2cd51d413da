package dev.lathe.frontend.onnx;

import dev.lathe.frontend.onnx.converters.BuiltinConverters;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The table from ONNX op types to converters: those of the default domain ({@code ai.onnx}) by
 * op type, those of other domains (such as {@code ai.onnx.preview.training}) by domain and op
 * type. Lathe's own converters are listed in {@link BuiltinConverters}; {@link #builtin()}
 * returns a fresh table holding them, which a caller may extend before importing.
 */
public final class OnnxOpRegistry {

    private final SortedMap<String, OnnxOpConverter> converters = new TreeMap<>();
    /** Converters of ops of other domains, keyed {@code domain:opType}. */
    private final SortedMap<String, OnnxOpConverter> otherDomains = new TreeMap<>();

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

    /**
     * Registers the converter of an op type of {@code domain} ({@code ""} or {@code ai.onnx}: the
     * default domain, as {@link #register(String, OnnxOpConverter)}); registering one twice is an error.
     */
    public OnnxOpRegistry register(String domain, String opType, OnnxOpConverter converter) {
        String d = OnnxImporter.normalizeDomain(domain);
        if (d.equals(OnnxImporter.DEFAULT_DOMAIN)) {
            return register(opType, converter);
        }
        if (otherDomains.putIfAbsent(d + ":" + opType, converter) != null) {
            throw new IllegalStateException("a converter for op '" + opType + "' of domain '" + d
                    + "' is already registered");
        }
        return this;
    }

    /** The converter for {@code opType} in {@code domain} ({@code ""} or {@code ai.onnx} for the default), or null. */
    public OnnxOpConverter lookup(String domain, String opType) {
        String d = OnnxImporter.normalizeDomain(domain);
        if (!OnnxImporter.DEFAULT_DOMAIN.equals(d)) {
            return otherDomains.get(d + ":" + opType);
        }
        return converters.get(opType);
    }

    /** The op types of the default domain with a converter, sorted. */
    public SortedSet<String> opTypes() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(converters.keySet()));
    }

    /** The ops of other domains with a converter, as {@code domain:opType}, sorted. */
    public SortedSet<String> otherDomainOps() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(otherDomains.keySet()));
    }
}
