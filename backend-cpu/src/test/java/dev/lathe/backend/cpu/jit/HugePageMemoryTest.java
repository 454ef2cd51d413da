package dev.lathe.backend.cpu.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class HugePageMemoryTest {

    @Test
    void largeRequestsAreMappedOnHugePageBoundariesAndHoldWhatIsWritten() {
        long size = 3 * HugePageMemory.HUGE_PAGE + 100;
        MemorySegment s;
        try (Arena arena = Arena.ofShared()) {
            s = HugePageMemory.allocate(arena, size);
            assertEquals(size, s.byteSize());
            if (System.getProperty("os.name").toLowerCase().contains("linux")) {
                assertEquals(0, s.address() % HugePageMemory.HUGE_PAGE, "mapped 2 MB aligned on Linux");
            }
            for (long i = 0; i < size; i += 4096) {
                s.set(ValueLayout.JAVA_BYTE, i, (byte) (i / 4096));
            }
            s.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 7);
            for (long i = 0; i < size; i += 4096) {
                assertEquals((byte) (i / 4096), s.get(ValueLayout.JAVA_BYTE, i));
            }
            assertEquals(7, s.get(ValueLayout.JAVA_BYTE, size - 1));
        }
        MemorySegment closed = s;
        assertThrows(IllegalStateException.class, () -> closed.get(ValueLayout.JAVA_BYTE, 0), "unmapped with the arena");
    }

    @Test
    void smallRequestsAreArenaMemory() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = HugePageMemory.allocate(arena, 1000);
            assertEquals(1000, s.byteSize());
            assertEquals(0, s.address() % 64);
        }
    }
}
