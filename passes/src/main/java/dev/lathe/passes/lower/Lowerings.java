package dev.lathe.passes.lower;

import dev.lathe.passes.lower.ops.ComputeLowerings;
import dev.lathe.passes.lower.ops.DataMovementLowerings;
import dev.lathe.passes.lower.ops.ElementwiseLowerings;
import dev.lathe.passes.lower.ops.ReductionLowerings;
import dev.lathe.passes.lower.ops.ResamplingLowerings;
import dev.lathe.passes.lower.ops.SequenceModelLowerings;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The lowering of each {@code nn} op, by op name. Families register themselves in {@link #builtin()}. */
public final class Lowerings {

    private final Map<String, OpLowering> byName = new ConcurrentHashMap<>();

    private static final class Builtin {
        static final Lowerings INSTANCE = create();

        private static Lowerings create() {
            Lowerings r = new Lowerings();
            ElementwiseLowerings.register(r);
            DataMovementLowerings.register(r);
            ReductionLowerings.register(r);
            ComputeLowerings.register(r);
            ResamplingLowerings.register(r);
            SequenceModelLowerings.register(r);
            return r;
        }
    }

    /** Every lowering Lathe ships. */
    public static Lowerings builtin() {
        return Builtin.INSTANCE;
    }

    /** Registers {@code lowering} for {@code opName}; each name once. */
    public Lowerings register(String opName, OpLowering lowering) {
        if (byName.putIfAbsent(opName, lowering) != null) {
            throw new IllegalStateException("a lowering for " + opName + " is registered twice");
        }
        return this;
    }

    public Optional<OpLowering> lookup(String opName) {
        return Optional.ofNullable(byName.get(opName));
    }

    /** Op names with a lowering, sorted. */
    public java.util.SortedSet<String> names() {
        return new java.util.TreeSet<>(new TreeMap<>(byName).keySet());
    }
}
