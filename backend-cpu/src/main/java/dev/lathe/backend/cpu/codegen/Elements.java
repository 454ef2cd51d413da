package dev.lathe.backend.cpu.codegen;

import dev.lathe.ir.Operation;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;

/** How the emitters read element types: float, signed integer, or unsigned (u*, i1). */
final class Elements {

    private Elements() {}

    static ScalarType of(Type t) {
        ScalarType s = VectorType.scalarOf(t);
        if (s == null) {
            throw new CodegenException("expected a scalar or vector type, found " + t.text());
        }
        return s;
    }

    /** The element type of operand {@code i}. */
    static ScalarType operand(Operation op, int i) {
        return of(op.operand(i).type());
    }

    static boolean isSigned(ScalarType t) {
        return t.kind() == ScalarType.Kind.SIGNED;
    }

    /** Bits of an element in registers (i1 is one bit). */
    static int bitWidth(ScalarType t) {
        return t == ScalarType.I1 ? 1 : t.byteSize() * 8;
    }
}
