package dev.lathe.passes.lower;

import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpOperand;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.loop.LoopOps;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code plan-buffers}: gives every {@code loop.alloc} of {@code @main} a byte offset in one
 * workspace so that buffers whose lifetimes do not overlap share memory, and every
 * {@code loop.weight} an offset in the weights blob. Sets {@code workspace_size} and
 * {@code weights_size} on {@code @main}.
 *
 * <p>A buffer lives from its {@code loop.alloc} to the last op of {@code @main} that uses it or
 * a view of it. Placement is greedy: largest buffers first, each at the lowest 64-byte-aligned
 * offset that no overlapping-in-time buffer occupies (the classic offset-assignment heuristic;
 * within a few percent of the lower bound on transformer graphs).
 *
 * <p>Counters: {@code buffers}, {@code workspace-bytes}, {@code unshared-bytes} (the sum of all
 * buffer sizes, for comparison), {@code weight-bytes}.
 */
public final class PlanBuffersPass extends Pass {

    static final long ALIGN = 64;

    @Override
    public String name() {
        return "plan-buffers";
    }

    @Override
    public String description() {
        return "assign workspace offsets to buffers (sharing bytes between buffers not live at once) and weight offsets";
    }

    private record Interval(Operation alloc, long size, int start, int end) {}

    @Override
    public void run(Module module, PassContext context) {
        Operation main = module.lookupSymbol("main").orElse(null);
        if (main == null || FuncOps.isDeclaration(main)) {
            context.fail(module.location(), "plan-buffers needs a lowered module with @main (run lower-to-loops first)");
            return;
        }
        Block body = FuncOps.body(main);
        List<Operation> ops = body.operations();
        Map<Operation, Integer> position = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            position.put(ops.get(i), i);
        }
        List<Interval> intervals = new ArrayList<>();
        long weightOffset = 0;
        long unshared = 0;
        for (Operation op : ops) {
            if (op.isA(LoopOps.ALLOC)) {
                long size = align(((MemRefType) op.result().type()).byteSize());
                intervals.add(new Interval(op, size, position.get(op), lastUse(op.result(), position)));
                unshared += size;
            } else if (op.isA(LoopOps.WEIGHT)) {
                op.setAttr("offset", IntegerAttr.of(weightOffset));
                weightOffset += align(((MemRefType) op.result().type()).byteSize());
            }
        }
        intervals.sort(Comparator.comparingLong(Interval::size).reversed().thenComparingInt(Interval::start));
        List<long[]> placed = new ArrayList<>(); // {offset, size, start, end}
        long workspace = 0;
        for (Interval iv : intervals) {
            long offset = lowestFreeOffset(placed, iv);
            placed.add(new long[] {offset, iv.size(), iv.start(), iv.end()});
            iv.alloc().setAttr("offset", IntegerAttr.of(offset));
            workspace = Math.max(workspace, offset + iv.size());
        }
        main.setAttr("workspace_size", IntegerAttr.of(workspace));
        main.setAttr("weights_size", IntegerAttr.of(weightOffset));
        context.add("buffers", intervals.size());
        context.add("workspace-bytes", workspace);
        context.add("unshared-bytes", unshared);
        context.add("weight-bytes", weightOffset);
    }

    private static long lowestFreeOffset(List<long[]> placed, Interval iv) {
        List<long[]> conflicts = new ArrayList<>();
        for (long[] p : placed) {
            if (p[2] <= iv.end() && iv.start() <= p[3]) {
                conflicts.add(p);
            }
        }
        conflicts.sort(Comparator.comparingLong(p -> p[0]));
        long offset = 0;
        for (long[] p : conflicts) {
            if (offset + iv.size() <= p[0]) {
                break;
            }
            offset = Math.max(offset, p[0] + p[1]);
        }
        return offset;
    }

    /** The position of the last op of {@code @main} using {@code buffer} or any view of it. */
    private static int lastUse(Value buffer, Map<Operation, Integer> position) {
        int last = -1;
        for (OpOperand use : buffer.uses()) {
            Operation user = use.owner();
            last = Math.max(last, position.getOrDefault(user, -1));
            if (user.isA(LoopOps.VIEW)) {
                last = Math.max(last, lastUse(user.result(), position));
            }
        }
        return last;
    }

    static long align(long bytes) {
        return (bytes + ALIGN - 1) / ALIGN * ALIGN;
    }

}
