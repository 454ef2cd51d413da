package dev.lathe.passes.transforms;

import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.rewrite.PatternRewriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code cse}: replaces a PURE op without regions by an earlier identical one (same name,
 * operands, attributes and result types) that dominates it: earlier in the same block, or in
 * a block enclosing it. Scopes follow the nesting, and an ISOLATED_FROM_ABOVE op (a function)
 * starts from an empty table. Equal constants are merged too.
 *
 * <p>No options. Counter: {@code ops-eliminated}.
 *
 * <pre>
 * %0 = "nn.add"(%a, %b) : ...
 * %1 = "nn.add"(%a, %b) : ...      uses of %1 become uses of %0, and %1 is erased
 * </pre>
 */
public final class CsePass extends Pass {

    @Override
    public String name() {
        return "cse";
    }

    @Override
    public String description() {
        return "merge identical pure ops where the first dominates the others";
    }

    /** What makes two ops interchangeable; operands compare by identity, attributes by equals. */
    private record Key(String name, List<Value> operands, Map<String, Attribute> attributes, List<Type> resultTypes) {
        static Key of(Operation op) {
            return new Key(op.name(), op.operands(), new TreeMap<>(op.attributes()), op.resultTypes());
        }
    }

    /** A hash table with nested scopes; leaving a scope forgets what was added in it. */
    private static final class ScopedTable {
        private final Map<Key, ArrayDeque<Operation>> entries = new HashMap<>();
        private final ArrayDeque<List<Key>> scopes = new ArrayDeque<>();

        void push() {
            scopes.push(new ArrayList<>());
        }

        void pop() {
            for (Key k : scopes.pop()) {
                ArrayDeque<Operation> ops = entries.get(k);
                ops.pollLast();
                if (ops.isEmpty()) {
                    entries.remove(k);
                }
            }
        }

        Operation lookup(Key key) {
            ArrayDeque<Operation> ops = entries.get(key);
            return ops == null ? null : ops.peekLast();
        }

        void insert(Key key, Operation op) {
            entries.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(op);
            scopes.peek().add(key);
        }
    }

    private final PatternRewriter rewriter = new PatternRewriter();
    private long eliminated;

    @Override
    public void run(Module module, PassContext context) {
        eliminated = 0;
        processBlock(module.body(), new ScopedTable());
        context.add("ops-eliminated", eliminated);
    }

    private void processBlock(Block block, ScopedTable table) {
        table.push();
        for (Operation op : block.operations()) {
            if (isCandidate(op)) {
                Key key = Key.of(op);
                Operation existing = table.lookup(key);
                if (existing != null) {
                    rewriter.replaceOp(op, new ArrayList<Value>(existing.results()));
                    eliminated++;
                    continue;
                }
                table.insert(key, op);
            }
            for (Region region : op.regions()) {
                ScopedTable inner = op.hasTrait(Trait.ISOLATED_FROM_ABOVE) ? new ScopedTable() : table;
                for (Block b : region.blocks()) {
                    processBlock(b, inner);
                }
            }
        }
        table.pop();
    }

    /** Only ops whose duplicates are interchangeable: pure, with results, without regions. */
    private static boolean isCandidate(Operation op) {
        return op.hasTrait(Trait.PURE) && op.numResults() > 0 && op.regions().isEmpty();
    }
}
