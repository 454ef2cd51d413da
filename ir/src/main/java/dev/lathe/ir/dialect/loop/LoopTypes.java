package dev.lathe.ir.dialect.loop;

import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import java.util.List;

/** Type checks shared by the {@code loop} ops; each throws saying what was expected. */
final class LoopTypes {

    private LoopTypes() {}

    static MemRefType memref(List<Type> types, int i, String role) {
        if (i >= types.size() || !(types.get(i) instanceof MemRefType m)) {
            throw new InvalidOpException(role + " must be a memref, found " + found(types, i));
        }
        return m;
    }

    static void index(List<Type> types, int i, String role) {
        if (i >= types.size() || types.get(i) != ScalarType.INDEX) {
            throw new InvalidOpException(role + " must be index, found " + found(types, i));
        }
    }

    /** A scalar or vector; returns its element type. */
    static ScalarType scalarOrVector(List<Type> types, int i, String role) {
        ScalarType s = i < types.size() ? VectorType.scalarOf(types.get(i)) : null;
        if (s == null) {
            throw new InvalidOpException(role + " must be a scalar or a vector, found " + found(types, i));
        }
        return s;
    }

    static void sameType(List<Type> types, int a, int b) {
        if (types.get(a) != types.get(b)) {
            throw new InvalidOpException("operands #" + a + " and #" + b + " must have one type, found "
                    + types.get(a).text() + " and " + types.get(b).text());
        }
    }

    /** Operands from {@code first} on are one index per dimension of {@code m}. */
    static void indices(List<Type> types, int first, MemRefType m) {
        int given = types.size() - first;
        if (given != m.rank()) {
            throw new InvalidOpException("expects " + m.rank() + " indices for " + m.text() + ", found " + given);
        }
        for (int i = first; i < types.size(); i++) {
            index(types, i, "index operand #" + i);
        }
    }

    /** i1, or a vector of i1 matching {@code like}'s length. */
    static Type predicateLike(Type like) {
        return VectorType.withElement(like, ScalarType.I1);
    }

    static String found(List<Type> types, int i) {
        return i < types.size() ? types.get(i).text() : "nothing";
    }
}
