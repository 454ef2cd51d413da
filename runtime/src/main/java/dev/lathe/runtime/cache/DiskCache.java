package dev.lathe.runtime.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.backend.cpu.CompiledObject;
import dev.lathe.backend.cpu.ModelSignature;
import dev.lathe.backend.cpu.TensorSpec;
import dev.lathe.backend.cpu.aot.AotCompiler;
import dev.lathe.ir.type.ScalarType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compiled models on disk, one directory per key: the AOT artifact ({@code libmodel.so},
 * {@code weights.bin}, {@code model.o}, ...), {@code entry.json} (signature, assertion messages,
 * frozen inputs) and, written last, {@code CHECKSUMS} (the SHA-256 of every other file).
 *
 * <p>An entry is written in a private temporary directory, every file and the directory fsynced,
 * then renamed into place: the rename is atomic, so readers see a whole entry or none, and when
 * two processes compile the same model the first rename wins and the other drops its copy. A
 * process killed mid-write leaves only a {@code tmp-*} directory, removed once it is an hour
 * old. An entry whose files do not match {@code CHECKSUMS} (truncated, corrupted, half deleted)
 * is removed and reported as a miss, so the caller rebuilds it.
 */
public final class DiskCache {

    public static final String ENTRY = "entry.json";
    public static final String CHECKSUMS = "CHECKSUMS";
    static final int FORMAT = 1;
    private static final Duration STALE = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A verified entry: where its library is and what calling it needs ({@code meta.object()} is empty). */
    public record Loaded(Path directory, Path library, CompiledObject meta, Map<Integer, String> frozenHashes) {}

    private final Path root;

    public DiskCache(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the compile cache directory " + root + ": " + e.getMessage(), e);
        }
        removeStaleTemporaries();
    }

    public Path root() {
        return root;
    }

    public Path entryDirectory(String key) {
        return root.resolve(key);
    }

    /** The verified entry {@code key}, or empty when there is none or it was damaged (and is now removed). */
    public Optional<Loaded> load(String key) {
        Path dir = entryDirectory(key);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try {
            verify(dir);
            return Optional.of(read(dir));
        } catch (IOException | RuntimeException e) {
            System.getLogger(DiskCache.class.getName()).log(System.Logger.Level.WARNING,
                    "compile cache entry " + dir + " is damaged (" + e.getMessage() + "); removing it and recompiling");
            remove(dir);
            return Optional.empty();
        }
    }

    /**
     * Writes {@code compiled} as entry {@code key} (atomically) unless it exists already; returns
     * the entry, or empty when no C compiler could link its library (nothing is kept then).
     */
    public Optional<Loaded> store(String key, CompiledObject compiled, Map<Integer, String> frozenHashes) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(root, "tmp-" + key.substring(0, Math.min(16, key.length())) + "-");
            AotCompiler.Artifact artifact = AotCompiler.write(compiled, tmp);
            if (artifact.library() == null) {
                remove(tmp);
                return Optional.empty();
            }
            Files.writeString(tmp.resolve(ENTRY), entryJson(key, compiled, frozenHashes));
            writeChecksums(tmp);
            fsyncDirectory(tmp);
            Path dir = entryDirectory(key);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                fsyncDirectory(root);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the cache directory's file system cannot rename atomically: " + root, e);
            } catch (FileSystemException e) {
                // Another process renamed its copy first: keep the winner, drop ours.
                remove(tmp);
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
            tmp = null;
            return load(key);
        } catch (IOException e) {
            throw new UncheckedIOException("writing compile cache entry " + key + " failed: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                remove(tmp);
            }
        }
    }

    /** Frozen-input indices recorded for a specialization key (see {@code Compiler}), or empty. */
    public Optional<List<Integer>> frozenIndices(String specKey) {
        Path f = root.resolve("frozen-" + specKey);
        try {
            String text = Files.readString(f).trim();
            List<Integer> out = new ArrayList<>();
            if (!text.equals("none")) {
                for (String s : text.split(",")) {
                    out.add(Integer.parseInt(s));
                }
            }
            return Optional.of(out);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // unreadable: the caller lowers again and rewrites it
        }
    }

    public void putFrozenIndices(String specKey, List<Integer> indices) {
        String text = indices.isEmpty() ? "none" : String.join(",", indices.stream().map(String::valueOf).toList());
        try {
            Path tmp = Files.createTempFile(root, "tmp-frozen-", "");
            Files.writeString(tmp, text + "\n");
            fsync(tmp);
            Files.move(tmp, root.resolve("frozen-" + specKey), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the compile cache index failed: " + e.getMessage(), e);
        }
    }

    private static void verify(Path dir) throws IOException {
        Path sums = dir.resolve(CHECKSUMS);
        if (!Files.exists(sums)) {
            throw new IOException("it has no " + CHECKSUMS + " (an incomplete entry)");
        }
        Map<String, String> expected = new TreeMap<>();
        for (String line : Files.readAllLines(sums)) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("  ", 2);
            if (parts.length != 2) {
                throw new IOException("malformed " + CHECKSUMS + " line '" + line + "'");
            }
            expected.put(parts[1], parts[0]);
        }
        for (String required : List.of(ENTRY, AotCompiler.LIBRARY, AotCompiler.WEIGHTS)) {
            if (!expected.containsKey(required)) {
                throw new IOException(CHECKSUMS + " does not list " + required);
            }
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String actual = Sha.hex(Sha.of(Files.readAllBytes(dir.resolve(e.getKey()))));
            if (!actual.equals(e.getValue())) {
                throw new IOException(e.getKey() + " does not match its checksum");
            }
        }
    }

    private static Loaded read(Path dir) throws IOException {
        JsonNode e = JSON.readTree(dir.resolve(ENTRY).toFile());
        if (e.path("format").asInt() != FORMAT) {
            throw new IOException("entry format " + e.path("format") + ", expected " + FORMAT);
        }
        List<TensorSpec> inputs = specs(e.get("inputs"));
        List<TensorSpec> outputs = specs(e.get("outputs"));
        List<ModelSignature.Bounded> bounded = new ArrayList<>();
        for (JsonNode b : e.get("bounded")) {
            bounded.add(new ModelSignature.Bounded(b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt()));
        }
        ModelSignature sig = new ModelSignature(inputs, outputs, e.get("workspace_size").asLong(), bounded);
        List<String> messages = new ArrayList<>();
        e.get("assertion_messages").forEach(m -> messages.add(m.asText()));
        Map<Integer, String> frozen = new LinkedHashMap<>();
        e.get("frozen").forEach(f -> frozen.put(f.get("index").asInt(), f.get("sha256").asText()));
        byte[] weights = Files.readAllBytes(dir.resolve(AotCompiler.WEIGHTS));
        CompiledObject meta = new CompiledObject(new byte[0], sig, messages, weights, e.get("target_cpu").asText(),
                e.get("target_features").asText());
        return new Loaded(dir, dir.resolve(AotCompiler.LIBRARY), meta, frozen);
    }

    private static List<TensorSpec> specs(JsonNode array) {
        List<TensorSpec> out = new ArrayList<>();
        for (JsonNode t : array) {
            List<Long> shape = new ArrayList<>();
            t.get("shape").forEach(d -> shape.add(d.asLong()));
            out.add(new TensorSpec(t.get("name").asText(), ScalarType.fromText(t.get("dtype").asText())
                    .orElseThrow(() -> new IllegalArgumentException("unknown dtype " + t.get("dtype"))), shape));
        }
        return out;
    }

    private static String entryJson(String key, CompiledObject c, Map<Integer, String> frozenHashes) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        e.put("format", FORMAT);
        e.put("key", key);
        e.put("target_cpu", c.targetCpu());
        e.put("target_features", c.targetFeatures());
        ModelSignature sig = c.signature();
        e.put("workspace_size", sig.workspaceSize());
        e.set("inputs", specsJson(sig.inputs()));
        e.set("outputs", specsJson(sig.outputs()));
        ArrayNode bounded = e.putArray("bounded");
        for (ModelSignature.Bounded b : sig.bounded()) {
            bounded.addArray().add(b.output()).add(b.dim()).add(b.extentOutput());
        }
        ArrayNode messages = e.putArray("assertion_messages");
        c.assertionMessages().forEach(messages::add);
        ArrayNode frozen = e.putArray("frozen");
        frozenHashes.forEach((i, h) -> frozen.addObject().put("index", i).put("sha256", h));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(e);
    }

    private static ArrayNode specsJson(List<TensorSpec> specs) {
        ArrayNode a = JSON.createArrayNode();
        for (TensorSpec t : specs) {
            ObjectNode o = a.addObject().put("name", t.name()).put("dtype", t.elementType().text());
            ArrayNode shape = o.putArray("shape");
            t.shape().forEach(shape::add);
        }
        return a;
    }

    private static void writeChecksums(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                fsync(f);
                sb.append(Sha.hex(Sha.of(Files.readAllBytes(f)))).append("  ").append(f.getFileName()).append('\n');
            }
        }
        Path sums = dir.resolve(CHECKSUMS);
        Files.writeString(sums, sb.toString());
        fsync(sums);
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot open a directory for fsync; the rename is still atomic.
        }
    }

    /** Renames {@code dir} aside first, so no reader sees it half deleted under its entry name. */
    private void remove(Path dir) {
        try {
            Path trash = root.resolve("tmp-trash-" + dir.getFileName() + "-" + System.nanoTime());
            try {
                Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return; // someone else removed it
            }
            deleteTree(trash);
        } catch (IOException e) {
            System.getLogger(DiskCache.class.getName()).log(System.Logger.Level.WARNING,
                    "could not remove " + dir + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void removeStaleTemporaries() {
        Instant cutoff = Instant.now().minus(STALE);
        try (Stream<Path> files = Files.list(root)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("tmp-")).toList()) {
                try {
                    FileTime t = Files.getLastModifiedTime(p);
                    if (t.toInstant().isBefore(cutoff)) {
                        if (Files.isDirectory(p)) {
                            deleteTree(p);
                        } else {
                            Files.deleteIfExists(p);
                        }
                    }
                } catch (IOException ignored) {
                    // another process is cleaning it up
                }
            }
        } catch (IOException ignored) {
            // an unreadable cache directory shows up when an entry is written
        }
    }
}
