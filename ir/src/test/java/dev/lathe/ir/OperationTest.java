package dev.lathe.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperationTest {

    static final TensorType T = TensorType.of(ScalarType.F32, 2);

    static Operation op(String name, List<Value> operands) {
        return Operation.create(name, operands, List.of(T), Map.of(), Location.UNKNOWN);
    }

    @Test
    void useListsTrackEveryOperand() {
        Block b = new Block(List.of(T));
        Value arg = b.argument(0);
        Operation twice = op("test.use", List.of(arg, arg));
        b.append(twice);
        assertEquals(2, arg.uses().size());
        assertEquals(List.of(twice), arg.users());
        twice.setOperand(1, twice.result());
        assertEquals(1, arg.uses().size());
        assertEquals(1, twice.result().uses().size());
    }

    @Test
    void replaceAllUsesWithMovesEveryUse() {
        Block b = new Block(List.of(T, T));
        Operation a = op("test.a", List.of(b.argument(0)));
        Operation c = op("test.c", List.of(b.argument(0), b.argument(0)));
        b.append(a);
        b.append(c);
        b.argument(0).replaceAllUsesWith(b.argument(1));
        assertFalse(b.argument(0).hasUses());
        assertEquals(3, b.argument(1).uses().size());
        assertSame(b.argument(1), c.operand(0));
    }

    @Test
    void eraseRefusesWhileResultsAreUsedAndDropsOperandUsesAfter() {
        Block b = new Block(List.of(T));
        Operation producer = op("test.p", List.of(b.argument(0)));
        Operation consumer = op("test.c", List.of(producer.result()));
        b.append(producer);
        b.append(consumer);
        IllegalStateException e = assertThrows(IllegalStateException.class, producer::erase);
        assertTrue(e.getMessage().contains("still has 1 uses"), e.getMessage());
        consumer.erase();
        producer.erase();
        assertTrue(b.isEmpty());
        assertFalse(b.argument(0).hasUses());
    }

    @Test
    void blockKeepsOrderThroughInsertsAndMoves() {
        Block b = new Block();
        Operation x = op("test.x", List.of());
        Operation y = op("test.y", List.of());
        Operation z = op("test.z", List.of());
        b.append(x);
        b.append(z);
        b.insertBefore(z, y);
        assertEquals(List.of(x, y, z), b.operations());
        assertTrue(x.isBeforeInBlock(z));
        x.moveAfter(z);
        assertEquals(List.of(y, z, x), b.operations());
        assertFalse(x.isBeforeInBlock(y));
        assertSame(b.first(), y);
        assertSame(b.last(), x);
        assertNull(x.nextOp());
    }

    @Test
    void cloneRemapsOperandsAndNestedValues() {
        Block b = new Block(List.of(T, T));
        Operation outer = Operation.create("test.region", List.of(b.argument(0)), List.of(T), Map.of(), 1,
                Location.UNKNOWN);
        Block inner = outer.region(0).addBlock(new Block(List.of(T)));
        inner.append(op("test.use", List.of(inner.argument(0), b.argument(0))));
        b.append(outer);
        IRMapping mapping = new IRMapping();
        mapping.map(b.argument(0), b.argument(1));
        Operation copy = outer.clone(mapping);
        assertSame(b.argument(1), copy.operand(0));
        Operation innerCopy = copy.region(0).entryBlock().first();
        assertSame(copy.region(0).entryBlock().argument(0), innerCopy.operand(0));
        assertSame(b.argument(1), innerCopy.operand(1));
    }
}
