package dev.lathe.backend.cpu.tune;

import dev.lathe.backend.cpu.TensorSpec;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.ir.type.ScalarType;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times compiled one-op functions against each other: each gets its own 64-byte-aligned inputs
 * (f32 values in [-1, 1) from a fixed generator, zeros for other types) and outputs; after two
 * warm-up calls each, they run in alternating rounds (every other one in reverse order), so
 * background load falls on all of them, and each one's figure is the median over the rounds of
 * its milliseconds per call.
 *
 * <p>On one thread the clock is the calling thread's CPU time, not wall time: on a machine shared
 * with other work (2 cores, load 10 while this was written) wall-clock rounds of the same code
 * varied fivefold with the time slices lost to other processes, and the ranking with them; CPU
 * time does not count those slices. With several threads the work is spread over pool threads,
 * so wall time it is, and the figures are only as good as the machine is quiet.
 */
final class CandidateTimer implements AutoCloseable {

    /** Rounds of alternation; the median of these is reported. */
    private static final int ROUNDS = 15;
    /** Calls per candidate per round are chosen so that one round of one candidate takes about this. */
    private static final double BLOCK_MS = 2;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int MAX_CALLS_PER_BLOCK = 200;

    private final Arena arena = Arena.ofConfined();
    private final boolean cpuClock;
    private final List<NativeModel> models = new ArrayList<>();
    private final List<MemorySegment[]> ins = new ArrayList<>();
    private final List<MemorySegment[]> outs = new ArrayList<>();

    /** {@code threads}: the threads the models run on (1: time by this thread's CPU time). */
    CandidateTimer(int threads) {
        this.cpuClock = threads == 1 && THREADS.isCurrentThreadCpuTimeSupported();
    }

    /** Adds a model to time (this timer closes it). */
    void add(NativeModel model) {
        models.add(model);
        ins.add(buffers(model.signature().inputs(), true));
        outs.add(buffers(model.signature().outputs(), false));
    }

    /** The median milliseconds per call of every model added, in order. */
    double[] medianMs() {
        int n = models.size();
        double[] warm = new double[n];
        for (int i = 0; i < n; i++) {
            call(i);
            long t0 = now();
            call(i);
            warm[i] = Math.max(1e-4, (now() - t0) / 1e6);
        }
        double[][] perRound = new double[n][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int j = 0; j < n; j++) {
                int i = r % 2 == 0 ? j : n - 1 - j; // every other round backwards: no candidate always runs first
                int calls = (int) Math.max(1, Math.min(MAX_CALLS_PER_BLOCK, BLOCK_MS / warm[i]));
                long t0 = now();
                for (int c = 0; c < calls; c++) {
                    call(i);
                }
                perRound[i][r] = (now() - t0) / 1e6 / calls;
            }
        }
        double[] medians = new double[n];
        for (int i = 0; i < n; i++) {
            Arrays.sort(perRound[i]);
            medians[i] = perRound[i][ROUNDS / 2];
        }
        return medians;
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
