package dev.lathe.runtime.cache;

import dev.lathe.backend.cpu.llvm.LlvmTarget;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.TensorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/** The parts of a compile cache key (see {@code SpecializationCompiler} for how they combine). */
public final class CacheKeys {

    private static volatile String hostTarget;
    private static volatile String version;

    private CacheKeys() {}

    /**
     * Graph hash, input types, code-changing options and system properties, target CPU and
     * features, Lathe version.
     */
    public static String specialization(byte[] graphHash, List<TensorType> inputTypes, boolean optimize, String targetCpu) {
        return specialization(graphHash, inputTypes, optimize, targetCpu, "{}");
    }

    /**
     * As above, plus the measured GEMM schedules the lowering uses ({@code TuningTable.fingerprint};
     * {@code "{}"} for none, which gives the same key as without tuning).
     */
    public static String specialization(byte[] graphHash, List<TensorType> inputTypes, boolean optimize, String targetCpu,
            String gemmChoices) {
        Sha h = new Sha("lathe-specialization").add(graphHash).add(version()).add(target(targetCpu)).add(optimize ? 1 : 0);
        if (!gemmChoices.equals("{}")) {
            h.add("gemm-choices").add(gemmChoices);
        }
        String properties = codeProperties();
        if (!properties.isEmpty()) {
            h.add("properties").add(properties);
        }
        h.add(inputTypes.size());
        for (TensorType t : inputTypes) {
            h.add(t.text());
        }
        return Sha.hex(h.digest());
    }

    /** System properties of the run time only: they change no generated code. */
    private static final Set<String> RUNTIME_PROPERTIES = Set.of("lathe.spinMicros", "lathe.poisonWorkspace");

    /**
     * The {@code lathe.*} system properties that may change generated code ({@code
     * lathe.llvm.options}, {@code lathe.minChunkOps}, {@code lathe.costmodel.dramGBps}, and any
     * experiment's flag), sorted, as {@code name=value} lines; empty when none is set. Without
     * them a cache entry compiled under one setting was silently reused under another.
     */
    static String codeProperties() {
        TreeMap<String, String> set = new TreeMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("lathe.") && !RUNTIME_PROPERTIES.contains(name)) {
                set.put(name, System.getProperty(name));
            }
        }
        StringBuilder out = new StringBuilder();
        set.forEach((name, value) -> out.append(name).append('=').append(value).append('\n'));
        return out.toString();
    }

    /** The specialization key plus the values of the inputs its code took as constants. */
    public static String entry(String specKey, List<Integer> frozenIndices, List<DenseElementsAttr> inputs) {
        Sha h = new Sha("lathe-entry").add(specKey);
        frozenHashes(frozenIndices, inputs).forEach((i, hex) -> h.add(i).add(hex));
        return Sha.hex(h.digest());
    }

    public static Map<Integer, String> frozenHashes(List<Integer> indices, List<DenseElementsAttr> inputs) {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (int i : indices) {
            out.put(i, Sha.hex(Sha.of(inputs.get(i).toBytes())));
        }
        return out;
    }

    /** {@code cpu:features} of this machine for null, else the named CPU with its default features. */
    public static String target(String targetCpu) {
        if (targetCpu != null && !targetCpu.equals("host") && !targetCpu.equals("native")) {
            return "cpu=" + targetCpu;
        }
        String h = hostTarget;
        if (h == null) {
            try (LlvmTarget host = LlvmTarget.host()) {
                h = "host=" + host.cpu() + ":" + host.features();
            }
            hostTarget = h;
        }
        return h;
    }

    /** The Lathe version and the runtime's build time (a rebuilt snapshot never reuses old code). */
    public static String version() {
        String v = version;
        if (v == null) {
            Properties p = new Properties();
            try (InputStream in = CacheKeys.class.getResourceAsStream("/dev/lathe/runtime/version.properties")) {
                if (in == null) {
                    throw new IllegalStateException("the runtime jar lacks dev/lathe/runtime/version.properties");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            v = p.getProperty("version") + "+" + p.getProperty("built");
            version = v;
        }
        return v;
    }
}
