package dev.lathe.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.ScalarType;
import org.junit.jupiter.api.Test;

class MachineModelTest {

    static final MachineModel AVX512_8 = new MachineModel(8, 512, 32, 2, 48L << 10, 2L << 20, 32L << 20, 3.0, 80);

    @Test
    void lanesAndPeakFollowVectorWidthAndElementSize() {
        assertEquals(16, AVX512_8.lanes(ScalarType.F32));
        assertEquals(8, AVX512_8.lanes(ScalarType.F64));
        assertEquals(64, AVX512_8.lanes(ScalarType.I8));
        // 3 GHz x 2 FMA pipes x 16 lanes x 2 flops per FMA
        assertEquals(192.0, AVX512_8.peakF32GflopsPerCore(), 1e-9);
        assertEquals(96.0, AVX512_8.peakGflopsPerCore(ScalarType.F64), 1e-9);
    }

    @Test
    void workingSetsLandInTheFirstLevelThatHoldsThem() {
        assertEquals(MemoryLevel.L1, AVX512_8.levelFor(16L << 10, 1));
        assertEquals(MemoryLevel.L2, AVX512_8.levelFor(1L << 20, 1));
        assertEquals(MemoryLevel.L3, AVX512_8.levelFor(2L << 20, 8), "8 cores x 2 MiB fit the 32 MiB L3");
        assertEquals(MemoryLevel.DRAM, AVX512_8.levelFor(4L << 20, 8), "8 x 4 MiB exceed 3/4 of the L3");
    }

    @Test
    void dramBandwidthGrowsWithCoresUntilTheSocketSaturates() {
        assertEquals(20.0, AVX512_8.bandwidthGBps(MemoryLevel.DRAM, 1), 1e-9);
        assertEquals(80.0, AVX512_8.bandwidthGBps(MemoryLevel.DRAM, 4), 1e-9);
        assertEquals(80.0, AVX512_8.bandwidthGBps(MemoryLevel.DRAM, 8), 1e-9);
        assertEquals(2 * 64 * 3.0 * 2, AVX512_8.bandwidthGBps(MemoryLevel.L1, 2), 1e-9);
        assertTrue(AVX512_8.bandwidthGBps(MemoryLevel.L2, 1) > AVX512_8.bandwidthGBps(MemoryLevel.L3, 1));
    }

    @Test
    void rejectsImpossibleMachinesNamingTheField() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new MachineModel(4, 300, 32, 2, 1, 1, 1, 3.0, 10));
        assertTrue(e.getMessage().contains("vectorBits"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AVX512_8.withDramGBps(0));
        assertThrows(IllegalArgumentException.class, () -> AVX512_8.withCores(0));
    }
}
