package dev.lathe.costmodel;

/** Where a kernel's bytes come from, fastest first. L1 and L2 are private to a core, L3 is shared. */
public enum MemoryLevel {
    L1,
    L2,
    L3,
    DRAM;

    /** The faster (closer to the core) of two levels. */
    public static MemoryLevel faster(MemoryLevel a, MemoryLevel b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}
