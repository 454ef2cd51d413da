package dev.lathe.ir.interp;

import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A value the interpreter holds at run time: a tensor, or an ONNX sequence or optional of such
 * values ({@link dev.lathe.ir.type.SequenceType}, {@link dev.lathe.ir.type.OptionalType}).
 * Ordinary ops see only tensors ({@code OpDefinition.evaluate}); ops on sequences and optionals
 * implement {@link EvaluatesValues}.
 */
public sealed interface RuntimeValue {

    /** A tensor value. */
    record TensorValue(DenseElementsAttr value) implements RuntimeValue {
        public TensorValue {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String describe() {
            return value.type().text();
        }
    }

    /** A sequence: any number of values, in order (empty allowed). */
    record SequenceValue(List<RuntimeValue> elements) implements RuntimeValue {
        public SequenceValue {
            elements = List.copyOf(elements);
        }

        @Override
        public String describe() {
            List<String> parts = new ArrayList<>();
            for (RuntimeValue e : elements) {
                parts.add(e.describe());
            }
            return "sequence [" + String.join(", ", parts) + "]";
        }
    }

    /** An optional: {@code value} is null when it holds nothing. */
    record OptionalValue(RuntimeValue value) implements RuntimeValue {

        public static final OptionalValue EMPTY = new OptionalValue(null);

        public boolean isPresent() {
            return value != null;
        }

        @Override
        public String describe() {
            return value == null ? "empty optional" : "optional of " + value.describe();
        }
    }

    /** A short description for messages: {@code tensor<2xf32>}, {@code sequence [tensor<2xf32>]}. */
    String describe();

    static RuntimeValue of(DenseElementsAttr tensor) {
        return new TensorValue(tensor);
    }

    static SequenceValue sequence(List<? extends RuntimeValue> elements) {
        return new SequenceValue(List.copyOf(elements));
    }

    static OptionalValue optional(RuntimeValue valueOrNull) {
        return valueOrNull == null ? OptionalValue.EMPTY : new OptionalValue(valueOrNull);
    }

    /** The tensor this value is; an {@link IllegalArgumentException} naming {@code what} otherwise. */
    default DenseElementsAttr tensor(String what) {
        if (this instanceof TensorValue t) {
            return t.value();
        }
        throw new IllegalArgumentException(what + " must be a tensor, found " + describe());
    }

    /** The elements of this sequence; an {@link IllegalArgumentException} naming {@code what} otherwise. */
    default List<RuntimeValue> elements(String what) {
        if (this instanceof SequenceValue s) {
            return s.elements();
        }
        throw new IllegalArgumentException(what + " must be a sequence, found " + describe());
    }

    static List<RuntimeValue> wrap(List<DenseElementsAttr> tensors) {
        List<RuntimeValue> out = new ArrayList<>(tensors.size());
        for (DenseElementsAttr t : tensors) {
            out.add(t == null ? null : new TensorValue(t));
        }
        return out;
    }

    /** The tensors of {@code values}; fails naming the first that is not a tensor. */
    static List<DenseElementsAttr> tensors(List<RuntimeValue> values, String what) {
        List<DenseElementsAttr> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            RuntimeValue v = values.get(i);
            out.add(v == null ? null : v.tensor(what + " #" + i));
        }
        return out;
    }
}
