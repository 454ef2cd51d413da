package dev.lathe.passes.canonicalize;

import dev.lathe.ir.Location;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.dialect.nn.SequenceConstructOp;
import dev.lathe.ir.dialect.nn.SequenceEmptyOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.ValueTypes;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.List;
import java.util.Map;

/**
 * What the sequence patterns share: the elements of a sequence whose length is known at compile
 * time (built by {@code nn.sequence_construct} or {@code nn.sequence_empty}, which is what a
 * sequence input becomes once the CPU backend specializes on its length), inline integer
 * constants, and building such a sequence again from a list of tensors.
 */
final class KnownSequences {

    private KnownSequences() {}

    /** The elements of {@code seq} in order, or null when its length is not known here. */
    static List<Value> elements(Value seq) {
        if (!(seq instanceof OpResult r)) {
            return null;
        }
        if (r.owner().isA(SequenceConstructOp.NAME)) {
            return r.owner().operands();
        }
        return r.owner().isA(SequenceEmptyOp.NAME) ? List.of() : null;
    }

    /** The one integer of an inline {@code nn.constant}, or null. */
    static Long constantInt(Value v) {
        if (v instanceof OpResult r && NnConstants.isConstant(r.owner())
                && r.owner().attr("value") instanceof DenseElementsAttr d && d.numElements() == 1
                && !d.elementType().isFloat()) {
            return d.getLong(0);
        }
        return null;
    }

    /**
     * ONNX's position rule ({@code -n <= p < n}, or {@code <= n} when inserting; negatives count
     * from the back) as an index, or -1 when out of range (left for the run-time error).
     */
    static int position(long p, int length, boolean inserting) {
        long max = inserting ? length : length - 1;
        if (p < -length || p > max) {
            return -1;
        }
        return (int) (p < 0 ? p + length : p);
    }

    /**
     * A sequence of {@code elements}: {@code nn.sequence_construct}, or for none an
     * {@code nn.sequence_empty} of the element type of {@code like} (a sequence type).
     */
    static Value build(PatternRewriter rewriter, List<Value> elements, Type like, Location location) {
        if (elements.isEmpty()) {
            ScalarType dtype = like instanceof SequenceType s ? ValueTypes.elementType(s.element()) : null;
            ScalarType et = dtype != null ? dtype : ScalarType.F32;
            return rewriter.create(SequenceEmptyOp.NAME, List.of(), List.of(SequenceType.of(et)),
                    Map.of("dtype", new TypeAttr(et)), location).result(0);
        }
        List<Type> types = new SequenceConstructOp().inferResultTypes(
                elements.stream().map(Value::type).toList(), Map.of());
        return rewriter.create(SequenceConstructOp.NAME, elements, types, Map.of(), location).result(0);
    }
}
