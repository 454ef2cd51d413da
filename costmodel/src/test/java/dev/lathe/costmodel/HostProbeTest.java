package dev.lathe.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProbeTest {

    @TempDir
    Path root;

    private static final String INTEL_CPUINFO = """
            processor	: 0
            vendor_id	: GenuineIntel
            model name	: Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz
            cpu MHz		: 800.000
            cache size	: 61440 KB
            flags		: fpu vme sse sse2 ssse3 fma avx avx2 avx512f avx512dq avx512bw avx512vl

            processor	: 1
            flags		: fpu vme sse sse2
            """;

    private static final String AMD_AVX2_CPUINFO = """
            processor	: 0
            vendor_id	: AuthenticAMD
            cpu MHz		: 2994.374
            flags		: fpu sse sse2 fma avx avx2 bmi2
            """;

    private static final String ARM_CPUINFO = """
            processor	: 0
            BogoMIPS	: 50.00
            Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics
            CPU implementer	: 0x41
            """;

    @Test
    void readsIntelAvx512WithSysfsCachesAndMaxFrequency() throws IOException {
        write("proc/cpuinfo", INTEL_CPUINFO);
        cache(0, "1", "Data", "48K");
        cache(1, "1", "Instruction", "32K");
        cache(2, "2", "Unified", "1280K");
        cache(3, "3", "Unified", "61440K");
        write("sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "3400000\n");

        MachineModel m = HostProbe.probe(root, 6);

        assertEquals(6, m.cores());
        assertEquals(512, m.vectorBits());
        assertEquals(32, m.vectorRegisters());
        assertEquals(48L << 10, m.l1dBytes(), "the instruction cache must not be taken for L1d");
        assertEquals(1280L << 10, m.l2Bytes());
        assertEquals(60L << 20, m.l3Bytes());
        assertEquals(3.4, m.frequencyGHz(), 1e-12, "cpufreq's maximum wins over the current cpu MHz");
        assertEquals(MachineModel.DEFAULT_DRAM_GBPS, m.dramGBps());
    }

    @Test
    void readsAvx2AndFallsBackToCpuMhzWithoutCpufreq() throws IOException {
        write("proc/cpuinfo", AMD_AVX2_CPUINFO);

        MachineModel m = HostProbe.probe(root, 2);

        assertEquals(256, m.vectorBits());
        assertEquals(16, m.vectorRegisters());
        assertEquals(2.994374, m.frequencyGHz(), 1e-9);
        assertEquals(MachineModel.DEFAULT_L1D_BYTES, m.l1dBytes(), "no sysfs caches: defaults");
        assertEquals(MachineModel.DEFAULT_L3_BYTES, m.l3Bytes());
    }

    @Test
    void readsAarch64NeonAsOneHundredTwentyEightBitsWithThirtyTwoRegisters() throws IOException {
        write("proc/cpuinfo", ARM_CPUINFO);
        cache(0, "1", "Data", "64K");
        cache(1, "2", "Unified", "1M");

        MachineModel m = HostProbe.probe(root, 4);

        assertEquals(128, m.vectorBits());
        assertEquals(32, m.vectorRegisters());
        assertEquals(64L << 10, m.l1dBytes());
        assertEquals(1L << 20, m.l2Bytes());
        assertEquals(0, m.l3Bytes(), "a readable cache listing without level 3 means no L3");
        assertEquals(MachineModel.DEFAULT_FREQUENCY_GHZ, m.frequencyGHz(), "no clock anywhere: default");
    }

    @Test
    void missingFilesGiveDefaults() {
        MachineModel m = HostProbe.probe(root.resolve("does-not-exist"), 3);

        assertEquals(new MachineModel(3, MachineModel.DEFAULT_VECTOR_BITS, 16, MachineModel.DEFAULT_FMA_UNITS,
                MachineModel.DEFAULT_L1D_BYTES, MachineModel.DEFAULT_L2_BYTES, MachineModel.DEFAULT_L3_BYTES,
                MachineModel.DEFAULT_FREQUENCY_GHZ, MachineModel.DEFAULT_DRAM_GBPS), m);
    }

    @Test
    void oddContentGivesDefaultsInsteadOfFailing() throws IOException {
        Files.createDirectories(root.resolve("proc"));
        Files.write(root.resolve("proc/cpuinfo"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, ':', '\n', 'c', 'p', 'u',
            ' ', 'M', 'H', 'z', ':', ' ', 'f', 'a', 's', 't'});
        cache(0, "one", "Data", "48K");           // unparsable level
        cache(1, "2", "Unified", "lots");         // unparsable size
        cache(2, "3", "Unified", "-5K");          // negative size
        write("sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "0\n"); // out of range

        MachineModel m = HostProbe.probe(root, 0);

        assertEquals(1, m.cores(), "a zero core count is clamped to 1");
        assertEquals(MachineModel.DEFAULT_VECTOR_BITS, m.vectorBits());
        assertEquals(MachineModel.DEFAULT_L2_BYTES, m.l2Bytes());
        assertEquals(MachineModel.DEFAULT_FREQUENCY_GHZ, m.frequencyGHz());
    }

    @Test
    void parsesSysfsAndCpuinfoSizeSpellings() {
        assertEquals(OptionalLong.of(48L << 10), HostProbe.parseSize("48K"));
        assertEquals(OptionalLong.of(32L << 20), HostProbe.parseSize("32M\n"));
        assertEquals(OptionalLong.of(512L << 10), HostProbe.parseSize("512 KB"));
        assertEquals(OptionalLong.of(1L << 20), HostProbe.parseSize("1 MiB"));
        assertEquals(OptionalLong.of(4096), HostProbe.parseSize("4096"));
        assertEquals(OptionalLong.empty(), HostProbe.parseSize("K"));
        assertEquals(OptionalLong.empty(), HostProbe.parseSize("99999999999999999999K"));
        assertEquals(OptionalLong.empty(), HostProbe.parseSize("0K"));
    }

    @Test
    void hostIsProbedOnceAndSeesEveryProcessor() {
        MachineModel host = MachineModel.host();
        assertEquals(Runtime.getRuntime().availableProcessors(), host.cores());
        assertTrue(host.peakF32GflopsPerCore() > 0);
        assertTrue(host == MachineModel.host(), "host() is cached");
    }

    private void cache(int index, String level, String type, String size) throws IOException {
        String dir = "sys/devices/system/cpu/cpu0/cache/index" + index + "/";
        write(dir + "level", level + "\n");
        write(dir + "type", type + "\n");
        write(dir + "size", size + "\n");
    }

    private void write(String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
