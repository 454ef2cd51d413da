package dev.lathe.costmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link GemmBlocking#fitCaches}: blocks shrink to the caches, never grow; the micro-tile stays. */
class GemmBlockingTest {

    /** 2 cores, AVX-512, 48 KiB L1d, 1.25 MiB L2, 48 MiB L3 (this project's build machine). */
    private static final MachineModel AVX512_2 =
            new MachineModel(2, 512, 32, 2, 48L << 10, 1280L << 10, 48L << 20, 2.8, 29);

    @Test
    void shrinksBlocksToCaches() {
        GemmBlocking g = new GemmBlocking(14, 32, 1024, 8192, 512, 16, 4, 2, Schedules.GEMM_M);
        // KC: 3/4 of 48 KiB over 32 floats = 288; MC: half of L2 over 288 floats, whole MR panels = 560;
        // NC: a quarter of 24 MiB over 288 floats, whole NR panels = 5440.
        assertEquals(new GemmBlocking(14, 32, 560, 5440, 288, 16, 4, 2, Schedules.GEMM_M), g.fitCaches(AVX512_2, 4));
    }

    @Test
    void keepsBlocksThatFit() {
        GemmBlocking g = new GemmBlocking(8, 48, 64, 384, 128, 16, 4, 1, -1);
        assertEquals(g, g.fitCaches(AVX512_2, 4));
    }
}
