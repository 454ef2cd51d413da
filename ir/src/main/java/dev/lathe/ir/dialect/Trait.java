package dev.lathe.ir.dialect;

/** Properties of an op that passes may rely on without knowing the op. */
public enum Trait {
    /** No side effects: may be erased when unused, merged by CSE, and folded. */
    PURE,
    /** Operands may be swapped (canonicalization orders them). */
    COMMUTATIVE,
    /** Applies the same scalar function at each position (after broadcasting). */
    ELEMENTWISE,
    /** Operands broadcast to the result shape with numpy rules. */
    BROADCASTING,
    /** Produces a constant from its {@code value} attribute and has no operands. */
    CONSTANT_LIKE,
    /** Must be the last op of its block. */
    TERMINATOR,
    /** Regions may not use values defined outside the op. */
    ISOLATED_FROM_ABOVE,
    /** Defines a symbol through its {@code sym_name} attribute. */
    SYMBOL,
    /** Holds symbols in its single region; names must be unique there. */
    SYMBOL_TABLE,
}
