package dev.lathe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultLineTest {

    @Test
    void compareLine() {
        String line = ResultLine.compare(12.5, 2.5);
        assertEquals("lathe_ms=12.500 ort_ms=2.500 ratio=5.000", line);
        assertTrue(line.matches("lathe_ms=[0-9.]+ ort_ms=[0-9.]+ ratio=[0-9.]+"));
    }

    @Test
    void gemmLine() {
        // 1024^3 in 10 ms is 214.7 GFLOP/s.
        assertEquals(214.748, ResultLine.gflops(1024, 1024, 1024, 10), 1e-3);
        assertEquals("lathe_gflops=86.00 openblas_gflops=172.00 ratio=0.500", ResultLine.gemm(86, 172));
    }

    @Test
    void medianOfInterleavedRuns() throws Exception {
        assertEquals(2, Timing.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Timing.median(List.of(4.0, 1.0, 2.0, 3.0)));
        int[] calls = new int[2];
        Timing.Medians m = new Timing(0, 0, 4, 4).measure(() -> calls[0]++, () -> calls[1]++);
        assertEquals(4, m.runs());
        assertEquals(calls[0], calls[1], "both sides run equally often");
    }
}
