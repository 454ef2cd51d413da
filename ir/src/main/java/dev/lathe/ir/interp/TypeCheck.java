package dev.lathe.ir.interp;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.RuntimeValue.OptionalValue;
import dev.lathe.ir.interp.RuntimeValue.SequenceValue;
import dev.lathe.ir.interp.RuntimeValue.TensorValue;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a concrete value fits a declared type: for a tensor, same element type, same rank, and
 * equal sizes wherever the declared dimension is static ({@code ?} accepts any size); a
 * sequence fits {@code !nn.sequence<T>} when every element fits T; an optional fits
 * {@code !nn.optional<T>} when it is empty or its value fits T; a plain value that fits T also
 * fits {@code !nn.optional<T>}, standing for an optional that holds it.
 */
final class TypeCheck {

    private TypeCheck() {}

    /**
     * Null when {@code value} fits {@code declared}; otherwise why not, e.g.
     * {@code dim 1 is 5, expected 4} or {@code element type i32, expected f32}.
     */
    static String mismatch(Type declared, DenseElementsAttr value) {
        if (!(declared instanceof TensorType expected)) {
            return "a tensor where " + declared.text() + " is declared";
        }
        TensorType actual = value.type();
        List<String> reasons = new ArrayList<>();
        if (actual.elementType() != expected.elementType()) {
            reasons.add("element type " + actual.elementType().text() + ", expected " + expected.elementType().text());
        }
        if (actual.rank() != expected.rank()) {
            reasons.add("rank " + actual.rank() + ", expected " + expected.rank());
        } else {
            for (int i = 0; i < expected.rank(); i++) {
                if (!expected.isDynamic(i) && expected.dim(i) != actual.dim(i)) {
                    reasons.add("dim " + i + " is " + actual.dim(i) + ", expected " + expected.dim(i));
                }
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /** Like {@link #mismatch(Type, DenseElementsAttr)} for any runtime value. */
    static String mismatch(Type declared, RuntimeValue value) {
        return switch (value) {
            case RuntimeValue v when declared instanceof OptionalType opt && !(v instanceof OptionalValue) ->
                    elementMismatch(opt.element(), v); // a plain value stands for an optional holding it
            case TensorValue t -> mismatch(declared, t.value());
            case SequenceValue s -> {
                if (!(declared instanceof SequenceType seq)) {
                    yield "a sequence where " + declared.text() + " is declared";
                }
                for (int i = 0; i < s.elements().size(); i++) {
                    String why = elementMismatch(seq.element(), s.elements().get(i));
                    if (why != null) {
                        yield "element #" + i + ": " + why;
                    }
                }
                yield null;
            }
            case OptionalValue o -> {
                if (!(declared instanceof OptionalType opt)) {
                    yield "an optional where " + declared.text() + " is declared";
                }
                yield o.isPresent() ? elementMismatch(opt.element(), o.value()) : null;
            }
        };
    }

    /** Inside a container, a bare element type ({@code f32}) accepts a tensor of any rank. */
    private static String elementMismatch(Type declared, RuntimeValue value) {
        if (declared instanceof ScalarType s) {
            if (value instanceof TensorValue t && t.value().elementType() == s) {
                return null;
            }
            return "expected a tensor of " + s.text() + ", got " + value.describe();
        }
        return mismatch(declared, value);
    }

    /** {@code expected tensor<?x4xf32>, got tensor<2x5xf32> (dim 1 is 5, expected 4)}, or null when it fits. */
    static String describeMismatch(Type declared, DenseElementsAttr value) {
        String why = mismatch(declared, value);
        return why == null ? null : "expected " + declared.text() + ", got " + value.type().text() + " (" + why + ")";
    }

    /** Like {@link #describeMismatch(Type, DenseElementsAttr)} for any runtime value. */
    static String describeMismatch(Type declared, RuntimeValue value) {
        String why = mismatch(declared, value);
        return why == null ? null : "expected " + declared.text() + ", got " + value.describe() + " (" + why + ")";
    }
}
