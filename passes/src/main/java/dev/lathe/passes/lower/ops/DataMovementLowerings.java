package dev.lathe.passes.lower.ops;

import dev.lathe.passes.lower.Lowerings;

/** Lowerings of one family of {@code nn} ops (see docs/lowering.md). */
public final class DataMovementLowerings {

    private DataMovementLowerings() {}

    public static void register(Lowerings r) {
    }
}
