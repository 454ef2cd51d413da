package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.passes.lower.LoopBuilder;

/**
 * Run-time indices read from tensors (gather/scatter indices, sequence lengths): negatives count
 * from the end, an index out of range fails the call with the interpreter's message and is then
 * clamped so every access stays in bounds (loop.assert lets execution go on).
 */
final class IndexChecks {

    private IndexChecks() {}

    /** {@code raw} (any integer type) as an index in {@code 0..size-1}: normalized, asserted, clamped. */
    static Value normalized(LoopBuilder b, Value raw, long size, String what) {
        Value i = b.cast(raw, ScalarType.INDEX);
        Value zero = b.index(0);
        Value n = b.index(size);
        Value adjusted = b.select(b.cmp("lt", i, zero), b.add(i, n), i);
        Value ok = b.binary("loop.and", b.cmp("ge", adjusted, zero), b.cmp("lt", adjusted, n));
        b.assertTrue(ok, what + " is out of range for a dimension of size " + size + "; expected " + -size + ".."
                + (size - 1));
        return clamp(b, adjusted, 0, size - 1);
    }

    /** {@code min(max(i, lo), hi)}. */
    static Value clamp(LoopBuilder b, Value i, long lo, long hi) {
        return b.min(b.max(i, b.index(lo)), b.index(Math.max(lo, hi)));
    }
}
