package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * The window functions {@code nn.hann_window}, {@code nn.hamming_window} and
 * {@code nn.blackman_window} (ONNX HannWindow, HammingWindow, BlackmanWindow), one table-driven
 * family: a 1-D tensor {@code w[n] = f(2πn / N)} for {@code n < size}, with {@code N = size}
 * when {@code periodic} (default true) and {@code size - 1} otherwise.
 * <ul>
 *   <li>hann: {@code 0.5 - 0.5·cos(t)};</li>
 *   <li>hamming: {@code 25/46 - 21/46·cos(t)} (ONNX's coefficients);</li>
 *   <li>blackman: {@code 0.42 - 0.5·cos(t) + 0.08·cos(2t)}.</li>
 * </ul>
 * Attributes {@code element_type} (the result element type, any number type, default f32; ONNX's
 * {@code output_datatype}), {@code periodic} (bool) and, in the static form, {@code size} (int
 * {@code >= 0}). Static form {@code () {size}}: result {@code tensor<size x T>}. Dynamic form
 * {@code (size)}: a one-element integer tensor read at run time, result {@code tensor<?xT>}.
 *
 * <p>Values are computed in double and rounded once (integer types truncate toward zero). ONNX
 * leaves a symmetric window of size 1 open ({@code N = 0}, a division by zero): Lathe gives
 * {@code [1]}, as numpy's {@code hanning(1)}.
 * {@code %w = "nn.hann_window"() {size = 4, periodic = true} : () -> tensor<4xf32>}
 */
public final class WindowOp extends AbstractOpDefinition {

    /** The window functions of the family, by nn name. */
    public enum Kind {
        HANN("nn.hann_window", t -> 0.5 - 0.5 * Math.cos(t)),
        HAMMING("nn.hamming_window", t -> 25.0 / 46 - 21.0 / 46 * Math.cos(t)),
        BLACKMAN("nn.blackman_window", t -> 0.42 - 0.5 * Math.cos(t) + 0.08 * Math.cos(2 * t));

        public final String opName;
        final DoubleUnaryOperator f;

        Kind(String opName, DoubleUnaryOperator f) {
            this.opName = opName;
            this.f = f;
        }
    }

    private final Kind kind;

    public WindowOp(Kind kind) {
        super(kind.opName, "a " + kind.name().toLowerCase() + " window of a given size",
                new OpSchema(0, 1, 1, 0, List.of(AttrSpec.optional("size", IntegerAttr.class),
                        AttrSpec.optional("periodic", BoolAttr.class),
                        AttrSpec.optional("element_type", TypeAttr.class)), false),
                Set.of(Trait.PURE));
        this.kind = kind;
    }

    static List<OpDefinition> all() {
        return Arrays.stream(Kind.values()).map(k -> (OpDefinition) new WindowOp(k)).toList();
    }

    static ScalarType elementType(Map<String, Attribute> attributes) {
        Attribute a = attributes.get("element_type");
        if (a == null) {
            return ScalarType.F32;
        }
        if (!(a instanceof TypeAttr t) || !(t.type() instanceof ScalarType s) || s == ScalarType.I1
                || s == ScalarType.INDEX) {
            throw new InvalidOpException("expects 'element_type' to be a float or integer type, found " + a.text());
        }
        return s;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        ScalarType et = elementType(attributes);
        if (operandTypes.isEmpty()) {
            if (!attributes.containsKey("size")) {
                throw new InvalidOpException("expects 'size' as an attribute or an operand, found neither");
            }
            return List.of(TensorType.of(et, checkedSize(ReductionMath.integer(attributes, "size", 0))));
        }
        TensorType size = NnTypes.tensor(operandTypes, 0);
        if (!size.elementType().isInteger() || size.elementType() == ScalarType.I1 || size.numElements() > 1
                && size.hasStaticShape()) {
            throw new InvalidOpException("expects size as one integer, found " + size.text());
        }
        if (attributes.containsKey("size")) {
            throw new InvalidOpException("expects 'size' either as an operand or as an attribute, found both");
        }
        return List.of(TensorType.of(et, TensorType.DYNAMIC));
    }

    private static long checkedSize(long size) {
        if (size < 0) {
            throw new InvalidOpException("expects a window size >= 0, found " + size);
        }
        return size;
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        long size = checkedSize(operands.isEmpty() ? ReductionMath.integer(op.attributes(), "size", 0)
                : operands.get(0).getLong(0));
        boolean periodic = NnTypes.bool(op.attributes(), "periodic", true);
        return List.of(NnTypes.floats(elementType(op.attributes()), new long[] {size},
                values(kind, (int) size, periodic)));
    }

    /** The window in double. */
    static double[] values(Kind kind, int size, boolean periodic) {
        double n = periodic ? size : size - 1;
        double[] w = new double[size];
        for (int i = 0; i < size; i++) {
            w[i] = n == 0 ? 1 : kind.f.applyAsDouble(2 * Math.PI * i / n);
        }
        return w;
    }
}
