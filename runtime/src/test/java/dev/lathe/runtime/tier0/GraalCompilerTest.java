package dev.lathe.runtime.tier0;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs only in the {@code graal} Maven profile (JVMCI on, Graal's compiler on the upgrade module
 * path): the Truffle engine must not be the interpreter-only fallback, and tier 0 must still
 * agree with the reference interpreter exactly once its root is hot enough to compile.
 */
@Tag("graal")
class GraalCompilerTest {

    @Test
    void engineIsNotInterpreted() {
        assertNotEquals("Interpreted", Tier0.implementationName(), "Graal's compiler is not in use");
    }

    @Test
    void hotTierZeroStillMatchesTheInterpreter() {
        Module m = IRParser.parse(Tier0Test.MODEL, "graal.lir");
        DenseElementsAttr x = Tier0Test.input();
        List<DenseElementsAttr> expected = new Interpreter(m).run("main", List.of(x));
        try (Tier0 t = Tier0.of(m, m.functions().getFirst())) {
            for (int i = 0; i < 3000; i++) { // past the compilation threshold
                assertArrayEquals(expected.getFirst().toBytes(), t.run(List.of(x)).getFirst().toBytes());
            }
        }
    }
}
