package dev.lathe.ir.interp;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a concrete value fits a declared type: same element type, same rank, and equal sizes
 * wherever the declared dimension is static ({@code ?} accepts any size).
 */
final class TypeCheck {

    private TypeCheck() {}

    /**
     * Null when {@code value} fits {@code declared}; otherwise why not, e.g.
     * {@code dim 1 is 5, expected 4} or {@code element type i32, expected f32}.
     */
    static String mismatch(Type declared, DenseElementsAttr value) {
        if (!(declared instanceof TensorType expected)) {
            return "the declared type is not a tensor, and the interpreter holds tensors only";
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

    /** {@code expected tensor<?x4xf32>, got tensor<2x5xf32> (dim 1 is 5, expected 4)}, or null when it fits. */
    static String describeMismatch(Type declared, DenseElementsAttr value) {
        String why = mismatch(declared, value);
        return why == null ? null : "expected " + declared.text() + ", got " + value.type().text() + " (" + why + ")";
    }
}
