package dev.lathe.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.Value;
import java.util.HashMap;
import java.util.Map;

/**
 * Asserts that two modules are the same IR, not just the same text: op names and count,
 * attributes ({@code equals}), types ({@code ==}), which value each operand reads, region and
 * block structure, resources, and optionally locations.
 */
final class SameStructure {

    private final boolean compareLocations;
    private final Map<Value, Value> values = new HashMap<>();
    private int ops;

    private SameStructure(boolean compareLocations) {
        this.compareLocations = compareLocations;
    }

    /** Returns the number of ops compared. */
    static int check(Module expected, Module actual, boolean compareLocations) {
        SameStructure s = new SameStructure(compareLocations);
        s.op(expected.op(), actual.op());
        assertEquals(expected.resources(), actual.resources(), "resources");
        return s.ops;
    }

    private void op(Operation e, Operation a) {
        ops++;
        String where = e.name() + " at " + e.location();
        assertEquals(e.name(), a.name(), "op name");
        assertEquals(e.attributes(), a.attributes(), "attributes of " + where);
        if (compareLocations) {
            assertEquals(e.location(), a.location(), "location of " + where);
        }
        assertEquals(e.numOperands(), a.numOperands(), "operand count of " + where);
        for (int i = 0; i < e.numOperands(); i++) {
            Value mapped = values.get(e.operand(i));
            if (mapped != null) { // values from outside (placeholders) are not mapped
                assertSame(mapped, a.operand(i), "operand #" + i + " of " + where);
            }
            assertSame(e.operand(i).type(), a.operand(i).type(),
                    "operand type #" + i + " of " + where);
        }
        assertEquals(e.numResults(), a.numResults(), "result count of " + where);
        for (int i = 0; i < e.numResults(); i++) {
            assertSame(e.result(i).type(), a.result(i).type(),
                    "result type #" + i + " of " + where);
            values.put(e.result(i), a.result(i));
        }
        assertEquals(e.regions().size(), a.regions().size(), "region count of " + where);
        for (int r = 0; r < e.regions().size(); r++) {
            region(e.region(r), a.region(r), where);
        }
    }

    private void region(Region e, Region a, String where) {
        assertEquals(e.blocks().size(), a.blocks().size(), "block count in a region of " + where);
        for (int b = 0; b < e.blocks().size(); b++) {
            Block eb = e.blocks().get(b);
            Block ab = a.blocks().get(b);
            assertEquals(eb.numArguments(), ab.numArguments(), "argument count of block " + b + " in " + where);
            for (int i = 0; i < eb.numArguments(); i++) {
                assertSame(eb.argument(i).type(), ab.argument(i).type(), "block argument type in " + where);
                values.put(eb.argument(i), ab.argument(i));
            }
            assertEquals(eb.size(), ab.size(), "op count of block " + b + " in " + where);
            Operation eo = eb.first();
            for (Operation ao = ab.first(); ao != null; ao = ao.nextOp(), eo = eo.nextOp()) {
                op(eo, ao);
            }
        }
    }
}
