package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * How an iteration space addresses one buffer: buffer index {@code d} is
 * {@code offset[d] + Σ coef[d][k]·iv[k]}. Transposes, slices, concats, tiles, broadcasts and
 * depth/space shuffles are all such maps, so one copy kernel ({@link AffineCopy}) serves them.
 */
final class AffineAccess {

    private final Value buffer;
    private final long[] offsets;
    private final long[][] coefs;

    private AffineAccess(Value buffer, int loops) {
        this.buffer = buffer;
        int rank = ((MemRefType) buffer.type()).rank();
        this.offsets = new long[rank];
        this.coefs = new long[rank][loops];
    }

    /** A map of {@code buffer} from a space of {@code loops} loops, all terms zero. */
    static AffineAccess of(Value buffer, int loops) {
        return new AffineAccess(buffer, loops);
    }

    /** Buffer dim {@code d} is iteration dim {@code d} (the iteration space has the buffer's shape). */
    static AffineAccess identity(Value buffer) {
        int rank = ((MemRefType) buffer.type()).rank();
        AffineAccess a = new AffineAccess(buffer, rank);
        for (int d = 0; d < rank; d++) {
            a.coefs[d][d] = 1;
        }
        return a;
    }

    /** Adds {@code coef · iv[loop]} to buffer dim {@code dim}. */
    AffineAccess term(int dim, int loop, long coef) {
        coefs[dim][loop] += coef;
        return this;
    }

    /** Adds {@code offset} to buffer dim {@code dim}. */
    AffineAccess offset(int dim, long offset) {
        offsets[dim] += offset;
        return this;
    }

    Value buffer() {
        return buffer;
    }

    int rank() {
        return offsets.length;
    }

    /** Whether loop {@code loop} walks the buffer's last dim with stride 1 and no other dim. */
    boolean contiguousIn(int loop) {
        int last = rank() - 1;
        if (last < 0 || coefs[last][loop] != 1) {
            return false;
        }
        for (int d = 0; d < last; d++) {
            if (coefs[d][loop] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The indices for {@code ivs}, skipping loop {@code except} (pass -1 to use every loop). */
    List<Value> indices(LoopBuilder b, List<Value> ivs, int except) {
        List<Value> out = new ArrayList<>(rank());
        for (int d = 0; d < rank(); d++) {
            Value acc = offsets[d] != 0 ? b.index(offsets[d]) : null;
            for (int k = 0; k < ivs.size(); k++) {
                if (k == except || coefs[d][k] == 0) {
                    continue;
                }
                Value term = coefs[d][k] == 1 ? ivs.get(k) : b.mul(ivs.get(k), b.index(coefs[d][k]));
                acc = acc == null ? term : b.add(acc, term);
            }
            out.add(acc == null ? b.index(0) : acc);
        }
        return out;
    }

    /** {@code base} (from {@link #indices} without {@code loop}) advanced by {@code iv} along {@code loop}. */
    List<Value> advance(LoopBuilder b, List<Value> base, int loop, Value iv) {
        List<Value> out = new ArrayList<>(base.size());
        for (int d = 0; d < base.size(); d++) {
            long c = coefs[d][loop];
            if (c == 0) {
                out.add(base.get(d));
            } else {
                Value term = c == 1 ? iv : b.mul(iv, b.index(c));
                out.add(isZero(base.get(d)) ? term : b.add(base.get(d), term));
            }
        }
        return out;
    }

    private static boolean isZero(Value v) {
        return v instanceof dev.lathe.ir.OpResult r && r.owner().isA("loop.constant")
                && r.owner().attr("value") instanceof dev.lathe.ir.attr.IntegerAttr i && i.value() == 0;
    }
}
