package dev.lathe.costmodel;

import java.util.ArrayList;
import java.util.List;

/**
 * How one kernel's loop nest is executed. Indices refer to the loops of {@link KernelFeatures#extents()}.
 *
 * <ul>
 *   <li>{@code tiles}: the cache tile of each loop (equal to the extent when the loop is not tiled);
 *       the loop nest runs tile by tile, and within a tile point by point.</li>
 *   <li>{@code registerTile}: points of each loop computed together in registers by the innermost
 *       body (a GEMM micro-tile is {@code [MR, NR, 1]}). Its entry for the vector loop is a multiple of
 *       {@code vectorLanes}; every entry is at most the loop's tile.</li>
 *   <li>{@code vectorLoop} and {@code vectorLanes}: the loop whose consecutive points share one SIMD
 *       vector (normally the last, contiguous one) and how many lanes; 1 means scalar code.</li>
 *   <li>{@code unroll}: copies of the innermost body per loop trip (more independent work per branch).</li>
 *   <li>{@code parallelLoop} and {@code tasks}: the loop whose tiles are split across {@code tasks}
 *       parallel tasks, or {@code -1} and 1 for sequential code.</li>
 * </ul>
 *
 * Build one with {@link #sequential} and the {@code with...} methods; the constructor rejects any
 * inconsistent combination with a message naming the field.
 */
public record Schedule(List<Long> tiles, List<Long> registerTile, int vectorLoop, int vectorLanes, int unroll,
                       int parallelLoop, int tasks) {

    public static final int MAX_LANES = 64;

    public Schedule {
        tiles = List.copyOf(tiles);
        registerTile = List.copyOf(registerTile);
        int rank = tiles.size();
        require(rank >= 1, "needs at least one loop");
        require(registerTile.size() == rank, "registerTile has " + registerTile.size() + " entries for " + rank + " loops");
        for (int l = 0; l < rank; l++) {
            require(tiles.get(l) >= 1, "tile of loop " + l + " is " + tiles.get(l) + ", expected at least 1");
            require(registerTile.get(l) >= 1 && registerTile.get(l) <= tiles.get(l),
                    "register tile of loop " + l + " is " + registerTile.get(l) + ", expected 1.." + tiles.get(l)
                            + " (its cache tile)");
        }
        require(vectorLoop >= 0 && vectorLoop < rank, "vectorLoop " + vectorLoop + " is not one of the " + rank + " loops");
        require(vectorLanes >= 1 && vectorLanes <= MAX_LANES && Integer.bitCount(vectorLanes) == 1,
                "vectorLanes must be 1 or a power of two up to " + MAX_LANES + ", got " + vectorLanes);
        require(registerTile.get(vectorLoop) % vectorLanes == 0, "register tile of vector loop " + vectorLoop + " ("
                + registerTile.get(vectorLoop) + ") must be a multiple of vectorLanes " + vectorLanes);
        require(unroll >= 1, "unroll must be at least 1, got " + unroll);
        if (parallelLoop == -1) {
            require(tasks == 1, "a sequential schedule (parallelLoop -1) has 1 task, got " + tasks);
        } else {
            require(parallelLoop >= 0 && parallelLoop < rank, "parallelLoop " + parallelLoop + " is not one of the "
                    + rank + " loops (use -1 for sequential)");
            require(tasks >= 2, "a parallel loop needs at least 2 tasks, got " + tasks + " (use parallelLoop -1)");
        }
    }

    /** Untiled, scalar, sequential code over {@code extents}; vectors would go on the last loop. */
    public static Schedule sequential(List<Long> extents) {
        List<Long> ones = new ArrayList<>();
        for (int l = 0; l < extents.size(); l++) {
            ones.add(1L);
        }
        return new Schedule(extents, ones, extents.size() - 1, 1, 1, -1, 1);
    }

    public static Schedule sequential(KernelFeatures kernel) {
        return sequential(kernel.extents());
    }

    public int rank() {
        return tiles.size();
    }

    public long tile(int loop) {
        return tiles.get(loop);
    }

    public long registerTile(int loop) {
        return registerTile.get(loop);
    }

    public boolean isParallel() {
        return tasks > 1;
    }

    public Schedule withTiles(Long... newTiles) {
        return new Schedule(List.of(newTiles), registerTile, vectorLoop, vectorLanes, unroll, parallelLoop, tasks);
    }

    public Schedule withRegisterTile(Long... newRegisterTile) {
        return new Schedule(tiles, List.of(newRegisterTile), vectorLoop, vectorLanes, unroll, parallelLoop, tasks);
    }

    /**
     * Vectorizes {@code loop} with {@code lanes}; when the loop's register tile is not a multiple of
     * the lanes it becomes exactly {@code lanes} (one vector per body).
     */
    public Schedule withVector(int loop, int lanes) {
        List<Long> reg = new ArrayList<>(registerTile);
        if (loop >= 0 && loop < reg.size() && reg.get(loop) % lanes != 0) {
            reg.set(loop, (long) lanes);
        }
        return new Schedule(tiles, reg, loop, lanes, unroll, parallelLoop, tasks);
    }

    public Schedule withUnroll(int factor) {
        return new Schedule(tiles, registerTile, vectorLoop, vectorLanes, factor, parallelLoop, tasks);
    }

    /** Splits the tiles of {@code loop} across {@code n} tasks; {@code n == 1} makes it sequential. */
    public Schedule withParallel(int loop, int n) {
        return n == 1 ? new Schedule(tiles, registerTile, vectorLoop, vectorLanes, unroll, -1, 1)
                : new Schedule(tiles, registerTile, vectorLoop, vectorLanes, unroll, loop, n);
    }

    /** Rejects a schedule that does not describe {@code kernel}'s loop nest. */
    public void checkFits(KernelFeatures kernel) {
        if (rank() != kernel.rank()) {
            throw new IllegalArgumentException("schedule " + describe() + " has " + rank() + " loops but kernel "
                    + kernel.name() + " has " + kernel.rank() + " (extents " + kernel.extents() + ")");
        }
        if (isParallel() && kernel.isReductionLoop(parallelLoop)) {
            throw new IllegalArgumentException("schedule " + describe() + " splits loop " + parallelLoop + " of kernel "
                    + kernel.name() + " across tasks, but it is a reduction loop; parallelize a loop that indexes the output");
        }
    }

    /** A compact one-line form: {@code tiles=[96, 4096, 256] reg=[6, 32, 1] vec=16@1 unroll=4 tasks=8@0}. */
    public String describe() {
        return "tiles=" + tiles + " reg=" + registerTile + " vec=" + vectorLanes + "@" + vectorLoop + " unroll=" + unroll
                + (isParallel() ? " tasks=" + tasks + "@" + parallelLoop : " sequential");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Schedule: " + message);
        }
    }
}
