package dev.lathe.costmodel;

import java.util.Locale;

/**
 * The parts of one {@link AnalyticalCostModel} estimate, for debugging a ranking and for tests.
 *
 * @param computeSeconds  arithmetic on the cores used, after load imbalance
 * @param memorySeconds   data movement on the cores used, after load imbalance
 * @param overheadSeconds dispatch of parallel tasks
 * @param totalSeconds    the estimate: {@code max(c, m) + NON_OVERLAP * min(c, m) + overhead}
 * @param coresUsed       cores the schedule keeps busy
 * @param dataLevel       where compulsory bytes and inter-tile reloads come from
 * @param tileLevel       where register reloads come from (a tile's working set)
 */
public record Estimate(double computeSeconds, double memorySeconds, double overheadSeconds, double totalSeconds,
                       int coresUsed, MemoryLevel dataLevel, MemoryLevel tileLevel) {

    public boolean memoryBound() {
        return memorySeconds > computeSeconds;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%.3g s = compute %.3g s, memory %.3g s (%s, tiles %s), overhead %.3g s on %d cores",
                totalSeconds, computeSeconds, memorySeconds, dataLevel, tileLevel, overheadSeconds, coresUsed);
    }
}
