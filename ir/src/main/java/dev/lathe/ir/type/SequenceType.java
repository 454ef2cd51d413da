package dev.lathe.ir.type;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ONNX sequence: an ordered list of any length (known only at run time) whose elements all
 * fit {@code element}, e.g. {@code !nn.sequence<tensor<?x3xf32>>}. The element may itself be a
 * sequence or an optional, or a bare element type ({@code !nn.sequence<f32>}) for tensors of
 * that element type and unknown rank ({@link ValueTypes}). Obtain instances through {@link #of}, which interns them.
 */
public record SequenceType(Type element) implements Type {

    private static final ConcurrentHashMap<SequenceType, SequenceType> INTERNED = new ConcurrentHashMap<>();

    public SequenceType {
        Objects.requireNonNull(element, "element");
        if (element instanceof FunctionType || element == ScalarType.INDEX) {
            throw new IllegalArgumentException("a sequence holds tensors, sequences or optionals, not " + element.text());
        }
    }

    public static SequenceType of(Type element) {
        SequenceType t = new SequenceType(element);
        return INTERNED.computeIfAbsent(t, k -> k);
    }

    @Override
    public String text() {
        return "!nn.sequence<" + element.text() + ">";
    }

    @Override
    public String toString() {
        return text();
    }
}
