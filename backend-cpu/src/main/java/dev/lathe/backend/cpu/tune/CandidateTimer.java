package dev.lathe.backend.cpu.tune;

import dev.lathe.backend.cpu.TensorSpec;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.ir.type.ScalarType;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Times compiled one-op functions against each other: each gets its own 64-byte-aligned inputs
 * (f32 values in [-1, 1) from a fixed generator, zeros for other types) and outputs. After two
 * warm-up calls each, they run in alternating rounds (every other one in reverse order), so
 * background load falls on all of them; each round times one call of each, right after writing a
 * buffer twice the size of the last-level cache. The caller gets every round: within a round
 * the models ran back to back under the same load, so rounds compare pairwise.
 *
 * <p>Cold caches: in a model a GEMM finds its activations in cache but its weights, one of many
 * layers' worth, mostly not. Timed back to back, a one-op function keeps its weights in L2/L3, and
 * the winners measured that way (up to 11% faster alone) were 4-6% slower in MiniLM than the cost
 * model's picks; flushing before each call measures the weights' trip from memory too.
 *
 * <p>On one thread the clock is the calling thread's CPU time, not wall time: on a machine shared
 * with other work (2 cores, load 10 while this was written) wall-clock rounds of the same code
 * varied fivefold with the time slices lost to other processes, and the ranking with them; CPU
 * time does not count those slices. With several threads the work is spread over pool threads,
 * so wall time it is, and the figures are only as good as the machine is quiet.
 */
final class CandidateTimer implements AutoCloseable {

    /** Rounds of alternation. */
    static final int ROUNDS = 21;
    private static final long MIN_FLUSH_BYTES = 8L << 20;
    private static final long MAX_FLUSH_BYTES = 256L << 20;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Arena arena = Arena.ofConfined();
    private final boolean cpuClock;
    private final MemorySegment flush;
    private final List<NativeModel> models = new ArrayList<>();
    private final List<MemorySegment[]> ins = new ArrayList<>();
    private final List<MemorySegment[]> outs = new ArrayList<>();

    /** {@code threads}: the threads the models run on (1: time by this thread's CPU time). */
    CandidateTimer(int threads) {
        this.cpuClock = threads == 1 && THREADS.isCurrentThreadCpuTimeSupported();
        MachineModel m = MachineModel.host();
        long lastLevel = Math.max(m.l3Bytes(), m.l2Bytes() * m.cores());
        this.flush = arena.allocate(Math.clamp(2 * lastLevel, MIN_FLUSH_BYTES, MAX_FLUSH_BYTES), 64);
    }

    /** Adds a model to time (this timer closes it). */
    void add(NativeModel model) {
        models.add(model);
        ins.add(buffers(model.signature().inputs(), true));
        outs.add(buffers(model.signature().outputs(), false));
    }

    /** Milliseconds of each model's call (in the order added) in each round: {@code [model][round]}. */
    double[][] roundsMs() {
        int n = models.size();
        for (int i = 0; i < n; i++) {
            call(i);
            call(i);
        }
        double[][] perRound = new double[n][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int j = 0; j < n; j++) {
                int i = r % 2 == 0 ? j : n - 1 - j; // every other round backwards: no candidate always runs first
                flush.fill((byte) (r + j));
                long t0 = now();
                call(i);
                perRound[i][r] = (now() - t0) / 1e6;
            }
        }
        return perRound;
    }

    private long now() {
        return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private void call(int i) {
        models.get(i).run(ins.get(i), outs.get(i));
    }

    private MemorySegment[] buffers(List<TensorSpec> specs, boolean fill) {
        MemorySegment[] out = new MemorySegment[specs.size()];
        long seed = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < out.length; i++) {
            TensorSpec spec = specs.get(i);
            out[i] = arena.allocate(Math.max(1, spec.byteSize()), 64);
            if (fill && spec.elementType() == ScalarType.F32) {
                for (long e = 0; e < spec.numElements(); e++) {
                    seed = seed * 6364136223846793005L + 1442695040888963407L;
                    out[i].setAtIndex(ValueLayout.JAVA_FLOAT, e, (float) ((seed >>> 40) / (double) (1L << 24) * 2 - 1));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        models.forEach(NativeModel::close);
        arena.close();
    }
}
