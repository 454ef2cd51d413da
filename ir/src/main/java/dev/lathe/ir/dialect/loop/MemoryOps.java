package dev.lathe.ir.dialect.loop;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import java.util.List;
import java.util.Set;

/** {@code loop.load}, {@code loop.store}, {@code loop.vload}, {@code loop.vstore}, {@code loop.prefetch}. */
final class MemoryOps {

    private MemoryOps() {}

    static List<OpDefinition> all() {
        return List.of(new Load(LoopOps.LOAD, false), new Load(LoopOps.VLOAD, true),
                new Store(LoopOps.STORE, false), new Store(LoopOps.VSTORE, true), new Prefetch());
    }

    /** The element (or vector of elements) the op moves must match the buffer's element type. */
    private static void checkValue(Type value, MemRefType m, boolean vector) {
        boolean ok = vector ? value instanceof VectorType v && v.elementType() == m.elementType()
                : value == m.elementType();
        if (!ok) {
            throw new InvalidOpException("moves " + value.text() + " but the buffer " + m.text() + " holds "
                    + (vector ? "vectors of " : "") + m.elementType().text());
        }
        if (vector && m.rank() == 0) {
            throw new InvalidOpException("a vector access needs a buffer of rank >= 1");
        }
    }

    static final class Load extends AbstractOpDefinition {
        private final boolean vector;

        Load(String name, boolean vector) {
            super(name, vector ? "loads consecutive elements of the last dimension" : "loads one element",
                    OpSchema.of(1).withOperands(1, OpSchema.VARIADIC), Set.of());
            this.vector = vector;
        }

        @Override
        public void verify(Operation op) {
            MemRefType m = LoopTypes.memref(op.operandTypes(), 0, "buffer");
            LoopTypes.indices(op.operandTypes(), 1, m);
            checkValue(op.result().type(), m, vector);
        }
    }

    static final class Store extends AbstractOpDefinition {
        private final boolean vector;

        Store(String name, boolean vector) {
            super(name, vector ? "stores consecutive elements of the last dimension" : "stores one element",
                    OpSchema.of(2).withOperands(2, OpSchema.VARIADIC).withResults(0), Set.of());
            this.vector = vector;
        }

        @Override
        public void verify(Operation op) {
            MemRefType m = LoopTypes.memref(op.operandTypes(), 1, "buffer");
            LoopTypes.indices(op.operandTypes(), 2, m);
            checkValue(op.operand(0).type(), m, vector);
        }
    }

    /**
     * A hint that the cache line holding {@code buffer[indices]} will be read (or, with
     * {@code write = true}, written) soon; {@code locality} 0 (no reuse) to 3 (keep in every
     * level, the default). No effect on results, and the indices may lie outside the buffer
     * (a prefetch never faults), so a lowering can prefetch past a row's end without clamping.
     */
    static final class Prefetch extends AbstractOpDefinition {
        Prefetch() {
            super(LoopOps.PREFETCH, "hints that a cache line will be accessed soon",
                    OpSchema.of(1, AttrSpec.optional("write", BoolAttr.class),
                            AttrSpec.optional("locality", IntegerAttr.class)).withOperands(1, OpSchema.VARIADIC)
                            .withResults(0),
                    Set.of());
        }

        @Override
        public void verify(Operation op) {
            MemRefType m = LoopTypes.memref(op.operandTypes(), 0, "buffer");
            LoopTypes.indices(op.operandTypes(), 1, m);
            if (op.attr("locality") instanceof IntegerAttr l && (l.value() < 0 || l.value() > 3)) {
                throw new InvalidOpException("'locality' must be 0 to 3, found " + l.value());
            }
        }
    }
}
