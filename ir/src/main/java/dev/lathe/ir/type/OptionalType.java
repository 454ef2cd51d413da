package dev.lathe.ir.type;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An ONNX optional: either nothing or one value of type {@code element}, e.g.
 * {@code !nn.optional<tensor<2xf32>>} or {@code !nn.optional<!nn.sequence<tensor<5xf32>>>}.
 * A bare element type ({@code !nn.optional<f32>}) stands for a tensor of unknown rank
 * ({@link ValueTypes}). Obtain instances through {@link #of}, which interns them.
 */
public record OptionalType(Type element) implements Type {

    private static final ConcurrentHashMap<OptionalType, OptionalType> INTERNED = new ConcurrentHashMap<>();

    public OptionalType {
        Objects.requireNonNull(element, "element");
        if (element instanceof FunctionType || element == ScalarType.INDEX) {
            throw new IllegalArgumentException("an optional holds a tensor, sequence or optional, not " + element.text());
        }
    }

    public static OptionalType of(Type element) {
        OptionalType t = new OptionalType(element);
        return INTERNED.computeIfAbsent(t, k -> k);
    }

    @Override
    public String text() {
        return "!nn.optional<" + element.text() + ">";
    }

    @Override
    public String toString() {
        return text();
    }
}
