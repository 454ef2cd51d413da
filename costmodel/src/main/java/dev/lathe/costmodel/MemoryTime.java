package dev.lathe.costmodel;

import java.util.List;

/**
 * The memory side of the roofline: bytes a kernel moves and the level each kind comes from.
 *
 * <ul>
 *   <li>Compulsory bytes (every operand element once) and inter-tile reloads (an operand tile read
 *       again for each tile of a loop that does not index it) come from the fastest level holding
 *       the whole data set: a producer just wrote it there, or it stays there between tiles.</li>
 *   <li>Register reloads (an input element loaded into registers again for each register tile of
 *       a loop that does not index it, within one cache tile) come from the level holding one
 *       tile's working set. Cache blocking trades the first kind for the second.</li>
 * </ul>
 */
final class MemoryTime {

    private MemoryTime() {
    }

    /** Level holding the kernel's data, each of {@code cores} cores streaming its share. */
    static MemoryLevel dataLevel(KernelFeatures k, int cores, MachineModel m) {
        return m.levelFor(ceilDiv(k.bytes(), cores), cores);
    }

    /** Level serving register reloads: the one holding a tile's working set, or the data level if faster. */
    static MemoryLevel tileLevel(KernelFeatures k, Schedule s, int cores, MachineModel m) {
        MemoryLevel tile = m.levelFor((long) Math.ceil(workingSetBytes(k, s)), cores);
        return MemoryLevel.faster(tile, dataLevel(k, cores, m));
    }

    /** Bytes of every operand touched by one cache tile of {@code s}. */
    static double workingSetBytes(KernelFeatures k, Schedule s) {
        List<Long> tiles = clamped(k, s.tiles());
        double ws = 0;
        for (KernelFeatures.Operand o : k.operands()) {
            ws += o.footprintBytes(tiles);
        }
        return ws;
    }

    /** Inter-tile reloads; a written operand is read back and written again each time. */
    static double interTileBytes(KernelFeatures k, Schedule s) {
        double bytes = 0;
        for (KernelFeatures.Operand o : k.operands()) {
            bytes += o.footprintBytes(k.extents()) * (visits(k, o, s.tiles()) - 1) * (o.written() ? 2 : 1);
        }
        return bytes;
    }

    /**
     * Register reloads of inputs. Outputs are not counted: their register tile accumulates across the
     * reduction loop and is stored once per cache tile (already in {@link #interTileBytes}).
     */
    static double registerReloadBytes(KernelFeatures k, Schedule s) {
        double bytes = 0;
        for (KernelFeatures.Operand o : k.operands()) {
            if (!o.written()) {
                bytes += o.footprintBytes(k.extents()) * (visits(k, o, s.registerTile()) - visits(k, o, s.tiles()));
            }
        }
        return bytes;
    }

    /** Seconds to move all bytes with {@code cores} cores sharing the work evenly. */
    static double seconds(KernelFeatures k, Schedule s, int cores, MachineModel m) {
        double far = (k.bytes() + interTileBytes(k, s)) / (m.bandwidthGBps(dataLevel(k, cores, m), cores) * 1e9);
        double near = registerReloadBytes(k, s) / (m.bandwidthGBps(tileLevel(k, s, cores, m), cores) * 1e9);
        return far + near;
    }

    /**
     * How often each element of {@code o} is visited when every loop advances by {@code steps}. An input
     * that no reduction loop indexes (a bias or scale applied after the reduction) is visited once per
     * output tile, not once per reduction step.
     */
    private static double visits(KernelFeatures k, KernelFeatures.Operand o, List<Long> steps) {
        boolean epilogue = isEpilogueInput(k, o);
        double n = 1;
        for (int l = 0; l < k.rank(); l++) {
            if (!o.loops().contains(l) && !(epilogue && k.isReductionLoop(l))) {
                n *= Math.ceil((double) k.extent(l) / Math.min(steps.get(l), k.extent(l)));
            }
        }
        return n;
    }

    /** An input of a reducing kernel that no reduction loop indexes: read after (or before) the reduction. */
    static boolean isEpilogueInput(KernelFeatures k, KernelFeatures.Operand o) {
        if (o.written() || !k.reduces()) {
            return false;
        }
        for (int l : o.loops()) {
            if (k.isReductionLoop(l)) {
                return false;
            }
        }
        return true;
    }

    private static List<Long> clamped(KernelFeatures k, List<Long> tiles) {
        Long[] t = new Long[k.rank()];
        for (int l = 0; l < t.length; l++) {
            t[l] = Math.min(tiles.get(l), k.extent(l));
        }
        return List.of(t);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
