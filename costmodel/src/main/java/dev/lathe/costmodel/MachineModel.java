package dev.lathe.costmodel;

import dev.lathe.ir.type.ScalarType;
import java.nio.file.Path;

/**
 * The facts about one CPU that the cost model needs: core count, SIMD width, caches, clock and
 * memory bandwidth. {@link #host()} probes this machine once; the constructor describes any other
 * target (tests, cross compilation).
 *
 * @param cores           cores available to kernels (hardware threads the JVM sees)
 * @param vectorBits      SIMD register width in bits (128, 256 or 512)
 * @param vectorRegisters architectural SIMD registers (32 with AVX-512 or on AArch64, else 16)
 * @param fmaUnits        fused multiply-add pipes per core
 * @param l1dBytes        level-1 data cache per core
 * @param l2Bytes         level-2 cache per core
 * @param l3Bytes         level-3 cache, shared by all cores (0 when there is none)
 * @param frequencyGHz    sustained core clock
 * @param dramGBps        main-memory bandwidth of the whole socket, GB/s (10^9 bytes per second)
 */
public record MachineModel(int cores, int vectorBits, int vectorRegisters, int fmaUnits,
                           long l1dBytes, long l2Bytes, long l3Bytes,
                           double frequencyGHz, double dramGBps) {

    public static final int DEFAULT_VECTOR_BITS = 128;
    public static final int DEFAULT_FMA_UNITS = 2;
    public static final long DEFAULT_L1D_BYTES = 32L << 10;
    public static final long DEFAULT_L2_BYTES = 1L << 20;
    public static final long DEFAULT_L3_BYTES = 8L << 20;
    public static final double DEFAULT_FREQUENCY_GHZ = 2.5;
    /** A typical dual-channel DDR4/DDR5 server slice; override with {@link #DRAM_PROPERTY}. */
    public static final double DEFAULT_DRAM_GBPS = 40.0;
    /** System property that overrides {@link #dramGBps} of {@link #host()}. */
    public static final String DRAM_PROPERTY = "lathe.costmodel.dramGBps";

    /** Bytes per cycle per core from L2 and L3 (sustained, not peak; L1 scales with the vector width). */
    static final double L2_BYTES_PER_CYCLE = 32;
    static final double L3_BYTES_PER_CYCLE = 16;
    /** One core cannot saturate DRAM: about this many streaming cores are needed to reach it. */
    static final int DRAM_SATURATING_CORES = 4;
    /** Part of a cache a working set may fill and still count as fitting (stack, code, conflicts). */
    static final double USABLE_CACHE_FRACTION = 0.75;

    public MachineModel {
        require(cores >= 1, "cores must be at least 1, got " + cores);
        require(vectorBits >= 64 && Integer.bitCount(vectorBits) == 1,
                "vectorBits must be a power of two of at least 64, got " + vectorBits);
        require(vectorRegisters >= 8, "vectorRegisters must be at least 8, got " + vectorRegisters);
        require(fmaUnits >= 1, "fmaUnits must be at least 1, got " + fmaUnits);
        require(l1dBytes > 0 && l2Bytes > 0 && l3Bytes >= 0,
                "cache sizes must be positive (L3 may be 0), got L1d=" + l1dBytes + " L2=" + l2Bytes + " L3=" + l3Bytes);
        require(frequencyGHz > 0 && Double.isFinite(frequencyGHz), "frequencyGHz must be positive, got " + frequencyGHz);
        require(dramGBps > 0 && Double.isFinite(dramGBps), "dramGBps must be positive, got " + dramGBps);
    }

    /** This machine, probed once from /proc and /sys (defaults for anything unreadable). */
    public static MachineModel host() {
        return Host.INSTANCE;
    }

    private static final class Host {
        static final MachineModel INSTANCE = probeHost();

        private static MachineModel probeHost() {
            MachineModel m = HostProbe.probe(Path.of("/"), Runtime.getRuntime().availableProcessors());
            String dram = System.getProperty(DRAM_PROPERTY);
            if (dram != null) {
                try {
                    return m.withDramGBps(Double.parseDouble(dram.trim()));
                } catch (IllegalArgumentException e) { // NumberFormatException included
                    throw new IllegalArgumentException(
                            "-D" + DRAM_PROPERTY + " must be a positive number of GB/s, got '" + dram + "'", e);
                }
            }
            return m;
        }
    }

    public MachineModel withDramGBps(double gbps) {
        return new MachineModel(cores, vectorBits, vectorRegisters, fmaUnits, l1dBytes, l2Bytes, l3Bytes, frequencyGHz, gbps);
    }

    public MachineModel withCores(int n) {
        return new MachineModel(n, vectorBits, vectorRegisters, fmaUnits, l1dBytes, l2Bytes, l3Bytes, frequencyGHz, dramGBps);
    }

    /** Elements of {@code et} in one vector register (at least 1). */
    public int lanes(ScalarType et) {
        return Math.max(1, vectorBits / (8 * et.byteSize()));
    }

    /** Peak operations per cycle per core: every FMA pipe retiring a full vector of multiply-adds (2 flops). */
    public double flopsPerCycle(ScalarType et) {
        return 2.0 * fmaUnits * lanes(et);
    }

    /** Peak GFLOP/s of one core on {@code et}. */
    public double peakGflopsPerCore(ScalarType et) {
        return frequencyGHz * flopsPerCycle(et);
    }

    public double peakF32GflopsPerCore() {
        return peakGflopsPerCore(ScalarType.F32);
    }

    /**
     * The fastest level that holds {@code bytesPerCore} for each of {@code coresUsed} cores: private
     * levels hold one core's share, the shared L3 holds all of them.
     */
    public MemoryLevel levelFor(long bytesPerCore, int coresUsed) {
        if (bytesPerCore <= l1dBytes * USABLE_CACHE_FRACTION) {
            return MemoryLevel.L1;
        }
        if (bytesPerCore <= l2Bytes * USABLE_CACHE_FRACTION) {
            return MemoryLevel.L2;
        }
        if ((double) bytesPerCore * coresUsed <= l3Bytes * USABLE_CACHE_FRACTION) {
            return MemoryLevel.L3;
        }
        return MemoryLevel.DRAM;
    }

    /** Aggregate bandwidth in GB/s that {@code coresUsed} cores get from {@code level}. */
    public double bandwidthGBps(MemoryLevel level, int coresUsed) {
        int n = Math.max(1, Math.min(coresUsed, cores));
        return switch (level) {
            // Two vector loads per cycle per core.
            case L1 -> 2.0 * (vectorBits / 8) * frequencyGHz * n;
            case L2 -> L2_BYTES_PER_CYCLE * frequencyGHz * n;
            case L3 -> L3_BYTES_PER_CYCLE * frequencyGHz * n;
            case DRAM -> Math.min(dramGBps, dramGBps * n / DRAM_SATURATING_CORES);
        };
    }

    /** One line naming every fact, used as the machine fingerprint of measured data. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "%d cores, %d-bit vectors x%d regs, %d FMA, L1d %dK L2 %dK L3 %dK, %.2f GHz, DRAM %.1f GB/s",
                cores, vectorBits, vectorRegisters, fmaUnits, l1dBytes >> 10, l2Bytes >> 10, l3Bytes >> 10,
                frequencyGHz, dramGBps);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("MachineModel: " + message);
        }
    }
}
