package dev.lathe.ir.dialect.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.Trait;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NnDialectTest {

    private static final List<String> OPS = List.of("nn.constant", "nn.add", "nn.sub", "nn.mul", "nn.div",
            "nn.relu", "nn.matmul", "nn.transpose", "nn.reshape", "nn.reduce_sum");

    @Test
    void serviceLoaderRegistersTheNnDialect() {
        assertTrue(DialectRegistry.global().isDialectRegistered("nn"));
    }

    @Test
    void everyOpIsDocumentedOnceAndHasASummary() throws java.io.IOException {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/dialects/nn.md"));
        List<String> names = new NnDialect().operations().stream().map(OpDefinition::name).toList();
        assertTrue(names.containsAll(OPS), names.toString());
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), "duplicate op names: " + names);
        for (OpDefinition def : new NnDialect().operations()) {
            assertTrue(doc.contains("`" + def.name() + "`"), def.name() + " is not in docs/dialects/nn.md");
            assertFalse(def.summary().isBlank(), def.name() + " has no summary");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nn.constant", "nn.add", "nn.sub", "nn.mul", "nn.div", "nn.relu", "nn.matmul",
            "nn.transpose", "nn.reshape", "nn.reduce_sum"})
    void registryFindsEveryOpWithSummaryAndReferenceSemantics(String name) {
        OpDefinition def = DialectRegistry.global().lookup(name).orElseThrow();
        assertEquals(name, def.name());
        assertFalse(def.summary().isBlank());
        assertTrue(def.hasReferenceSemantics());
        assertTrue(def.traits().contains(Trait.PURE));
    }

    @Test
    void arithmeticOpsCarryBroadcastingTraitsAndOnlyAddAndMulCommute() {
        for (String name : List.of("nn.add", "nn.sub", "nn.mul", "nn.div")) {
            OpDefinition def = NnTestIR.definition(name);
            assertInstanceOf(ElementwiseBinaryOp.class, def);
            assertTrue(def.traits().containsAll(List.of(Trait.ELEMENTWISE, Trait.BROADCASTING)));
            assertEquals(name.equals("nn.add") || name.equals("nn.mul"), def.traits().contains(Trait.COMMUTATIVE),
                    name);
        }
        assertTrue(NnTestIR.definition("nn.constant").traits().contains(Trait.CONSTANT_LIKE));
    }
}
