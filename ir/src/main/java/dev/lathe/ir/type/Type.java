package dev.lathe.ir.type;

/**
 * A type of an SSA value. Every implementation is interned, so {@code ==} is equality and
 * types can be compared cheaply in verifiers and rewrite patterns.
 */
public sealed interface Type permits ScalarType, TensorType, MemRefType, VectorType, FunctionType, SequenceType,
        OptionalType {

    /** The text form, exactly as the printer writes and the parser reads it. */
    String text();
}
