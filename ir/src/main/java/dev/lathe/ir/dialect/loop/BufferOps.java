package dev.lathe.ir.dialect.loop;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Set;

/** {@code loop.alloc}, {@code loop.weight}, {@code loop.view} and {@code loop.alloca}: where buffers come from. */
final class BufferOps {

    private BufferOps() {}

    /** Stack buffers above this size would risk the thread's stack. */
    static final long MAX_ALLOCA_BYTES = 64 * 1024;

    static List<OpDefinition> all() {
        return List.of(new Alloc(), new Weight(), new View(), new Alloca());
    }

    private static MemRefType result(Operation op) {
        if (op.numResults() != 1 || !(op.result().type() instanceof MemRefType m)) {
            throw new InvalidOpException("result must be a memref");
        }
        return m;
    }

    private static void checkOffset(Operation op) {
        if (op.attr("offset") instanceof IntegerAttr off && (off.value() < 0 || off.value() % 64 != 0)) {
            throw new InvalidOpException("'offset' must be a multiple of 64 that is >= 0, found " + off.value());
        }
    }

    static final class Alloc extends AbstractOpDefinition {
        Alloc() {
            super(LoopOps.ALLOC, "an uninitialized buffer in the call's workspace",
                    OpSchema.of(0, AttrSpec.optional("offset", IntegerAttr.class)), Set.of());
        }

        @Override
        public void verify(Operation op) {
            result(op);
            checkOffset(op);
        }
    }

    static final class Weight extends AbstractOpDefinition {
        Weight() {
            super(LoopOps.WEIGHT, "read-only constant data in the weights blob",
                    OpSchema.of(0, AttrSpec.required("value", Attribute.class), AttrSpec.optional("offset", IntegerAttr.class)),
                    Set.of(Trait.PURE));
        }

        @Override
        public void verify(Operation op) {
            MemRefType m = result(op);
            TensorType valueType = switch (op.attr("value")) {
                case DenseElementsAttr d -> d.type();
                case DenseResourceAttr r -> r.type();
                default -> throw new InvalidOpException("'value' must be dense<...> or dense_resource<...>, found "
                        + op.attr("value"));
            };
            if (valueType != m.toTensorType()) {
                throw new InvalidOpException("'value' has type " + valueType.text() + " but the result is " + m.text());
            }
            checkOffset(op);
        }
    }

    static final class View extends AbstractOpDefinition {
        View() {
            super(LoopOps.VIEW, "the same bytes with another shape", OpSchema.of(1), Set.of(Trait.PURE));
        }

        @Override
        public void verify(Operation op) {
            MemRefType in = LoopTypes.memref(op.operandTypes(), 0, "operand");
            MemRefType out = result(op);
            if (in.elementType() != out.elementType() || in.numElements() != out.numElements()) {
                throw new InvalidOpException("views " + in.text() + " as " + out.text()
                        + "; expected the same element type and element count");
            }
        }
    }

    static final class Alloca extends AbstractOpDefinition {
        Alloca() {
            super(LoopOps.ALLOCA, "a small kernel-local stack buffer", OpSchema.of(0), Set.of());
        }

        @Override
        public void verify(Operation op) {
            MemRefType m = result(op);
            if (m.byteSize() > MAX_ALLOCA_BYTES) {
                throw new InvalidOpException(m.text() + " takes " + m.byteSize() + " bytes; a stack buffer may take at most "
                        + MAX_ALLOCA_BYTES);
            }
        }
    }
}
