package dev.lathe.costmodel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link MachineModel} from Linux's {@code /proc/cpuinfo} and {@code /sys/devices/system/cpu}
 * under a root directory (the real {@code /}, or a test's temporary tree). Never fails: anything
 * missing or unparsable falls back to the defaults in {@link MachineModel}.
 */
public final class HostProbe {

    private static final String CPU0 = "sys/devices/system/cpu/cpu0";
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]?)I?B?");
    /** Clocks outside this range are misreadings (a kHz value read as MHz, a zero). */
    private static final double MIN_GHZ = 0.2;
    private static final double MAX_GHZ = 10.0;

    private HostProbe() {
    }

    /** Probes the machine whose file system is mounted at {@code root}, with {@code cores} cores. */
    public static MachineModel probe(Path root, int cores) {
        List<String> cpuinfo = readLines(root.resolve("proc/cpuinfo"));
        String flags = field(cpuinfo, "flags").or(() -> field(cpuinfo, "Features")).orElse("");
        List<String> flagList = List.of(flags.toLowerCase(Locale.ROOT).split("\\s+"));
        boolean avx512 = flagList.contains("avx512f");
        boolean aarch64 = flagList.contains("asimd");
        int vectorBits = avx512 ? 512 : flagList.contains("avx2") ? 256 : MachineModel.DEFAULT_VECTOR_BITS;
        int registers = avx512 || aarch64 ? 32 : 16;

        long l1 = MachineModel.DEFAULT_L1D_BYTES;
        long l2 = MachineModel.DEFAULT_L2_BYTES;
        List<CacheEntry> caches = caches(root.resolve(CPU0 + "/cache"));
        // A readable cache listing without a level 3 means the chip has none.
        long l3 = caches.isEmpty() ? MachineModel.DEFAULT_L3_BYTES : 0;
        for (CacheEntry c : caches) {
            switch (c.level) {
                case 1 -> l1 = c.bytes;
                case 2 -> l2 = c.bytes;
                case 3 -> l3 = c.bytes;
                default -> { } // L4 / eDRAM: not modelled
            }
        }
        double ghz = frequencyGHz(root, cpuinfo).orElse(MachineModel.DEFAULT_FREQUENCY_GHZ);
        return new MachineModel(Math.max(1, cores), vectorBits, registers, MachineModel.DEFAULT_FMA_UNITS,
                l1, l2, l3, ghz, MachineModel.DEFAULT_DRAM_GBPS);
    }

    /** Parses a sysfs cache size such as {@code 48K}, {@code 32M} or {@code 512 KB}. */
    static OptionalLong parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            long n = Long.parseLong(m.group(1));
            int shift = switch (m.group(2)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                default -> 0;
            };
            return n > 0 && n < (1L << (62 - shift)) ? OptionalLong.of(n << shift) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private record CacheEntry(int level, long bytes) {
    }

    /** Data and unified caches of cpu0 (instruction caches skipped); unreadable entries dropped. */
    private static List<CacheEntry> caches(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<CacheEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "index*")) {
            for (Path index : entries) {
                String type = readFirstLine(index.resolve("type")).orElse("");
                if (!type.equalsIgnoreCase("Data") && !type.equalsIgnoreCase("Unified")) {
                    continue;
                }
                OptionalLong size = readFirstLine(index.resolve("size")).map(HostProbe::parseSize).orElse(OptionalLong.empty());
                Optional<Integer> level = readFirstLine(index.resolve("level")).flatMap(HostProbe::parseInt);
                if (size.isPresent() && level.isPresent()) {
                    out.add(new CacheEntry(level.get(), size.getAsLong()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // an odd sysfs: fall back to the defaults rather than half-read values
        }
        return out;
    }

    /** cpufreq's maximum (kHz) when exposed, else the first "cpu MHz" of cpuinfo. */
    private static OptionalDouble frequencyGHz(Path root, List<String> cpuinfo) {
        Optional<Double> max = readFirstLine(root.resolve(CPU0 + "/cpufreq/cpuinfo_max_freq"))
                .flatMap(HostProbe::parseDouble).map(khz -> khz / 1e6);
        Optional<Double> mhz = field(cpuinfo, "cpu MHz").flatMap(HostProbe::parseDouble).map(v -> v / 1e3);
        for (Optional<Double> ghz : List.of(max, mhz)) {
            if (ghz.isPresent() && ghz.get() >= MIN_GHZ && ghz.get() <= MAX_GHZ) {
                return OptionalDouble.of(ghz.get());
            }
        }
        return OptionalDouble.empty();
    }

    /** The value of the first {@code key : value} line of cpuinfo. */
    private static Optional<String> field(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }

    private static List<String> readLines(Path file) {
        try {
            // ISO-8859-1 decodes any byte, so odd content can never throw while decoding.
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).lines().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static Optional<String> readFirstLine(Path file) {
        return readLines(file).stream().findFirst().map(String::trim);
    }

    private static Optional<Integer> parseInt(String s) {
        try {
            return Optional.of(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Double> parseDouble(String s) {
        try {
            double v = Double.parseDouble(s.trim());
            return Double.isFinite(v) ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
