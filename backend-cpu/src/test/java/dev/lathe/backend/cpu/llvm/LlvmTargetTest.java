package dev.lathe.backend.cpu.llvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Target CPU names: a known one builds a machine; an unknown one is an error, not an LLVM abort. */
class LlvmTargetTest {

    @Test
    void aKnownCpuGivesATargetMachine() {
        try (LlvmTarget t = LlvmTarget.forCpu("x86-64-v2")) {
            assertEquals("x86-64-v2", t.cpu());
        }
        assertTrue(LlvmTarget.knownX86Cpus().containsAll(List.of("x86-64", "skylake-avx512", "znver4")));
    }

    @Test
    void anUnknownCpuIsAClearError() {
        LlvmException e = assertThrows(LlvmException.class, () -> LlvmTarget.forCpu("bogus"));
        assertTrue(e.getMessage().contains("unknown target CPU 'bogus'"), e.getMessage());
    }
}
