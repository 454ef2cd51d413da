package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.LoopBuilder;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nn.tf_idf_vectorizer} ({@code TfIdfVectorizerOp}): n-gram counts of integer tokens, as
 * the interpreter counts them (skips {@code 0..max_skip_count}, unigrams only at skip 0, n-grams
 * of {@code min..max_gram_length} tokens), then {@code tf}, {@code idf} or {@code tfidf}.
 *
 * <p>The pool is known at compile time, so it is compiled into a trie of nested compares: for
 * each row (one {@code loop.parallel} task), skip and start position, the token at the start is
 * compared with each pool n-gram's first token, the next token (one skip further) only inside a
 * match, and so on; a matching pool n-gram adds 1 to its column. Code size is linear in the pool.
 * Counts are small integers, exact in f32; {@code idf} stores the column's weight on a match and
 * {@code tfidf} multiplies the count by it at the end (one f32 rounding, as the interpreter's).
 */
final class TfIdfVectorizerLowering implements OpLowering {

    /** A trie node: the pool n-grams that start with the tokens on its path. */
    private static final class Node {
        final Map<Long, Node> children = new LinkedHashMap<>();
        int column = -1;
    }

    private record Plan(Node root, int min, int max, long length, String mode, double[] weights) {}

    @Override
    public void lower(KernelContext cx) {
        long[] pool = longs(cx, "pool");
        long[] counts = longs(cx, "ngram_counts");
        long[] indexes = longs(cx, "ngram_indexes");
        Node root = new Node();
        int ngram = 0;
        for (int level = 0; level < counts.length; level++) {
            long end = level + 1 < counts.length ? counts[level + 1] : pool.length;
            for (long p = counts[level]; p < end; p += level + 1, ngram++) {
                Node node = root;
                for (int t = 0; t <= level; t++) {
                    node = node.children.computeIfAbsent(pool[(int) p + t], k -> new Node());
                }
                node.column = (int) indexes[ngram]; // a repeated n-gram keeps its last column
            }
        }
        long width = cx.outputType(0).dim(cx.outputType(0).rank() - 1);
        double[] weights = new double[(int) width];
        boolean weighted = cx.op().attr("weights") instanceof ArrayAttr;
        for (int c = 0; c < width; c++) {
            weights[c] = weighted ? ((FloatAttr) ((ArrayAttr) cx.op().attr("weights")).elements().get(c)).value() : 1;
        }
        int rank = cx.inputType(0).rank();
        long rows = rank == 1 ? 1 : cx.inputType(0).dim(0);
        Plan plan = new Plan(root, (int) integer(cx, "min_gram_length"), (int) integer(cx, "max_gram_length"),
                cx.inputType(0).dim(rank - 1), ((StringAttr) cx.op().attr("mode")).value(), weights);
        long maxSkip = integer(cx, "max_skip_count");
        cx.builder().parallel(0, rows, 1, 1, (b, row) -> {
            List<Value> lead = rank == 1 ? List.of() : List.of(row);
            Value f32Zero = b.constant(ScalarType.F32, 0.0);
            b.forRange(0, width, 1, (zb, c) -> zb.store(f32Zero, cx.output(0), at(lead, c)));
            b.forRange(1, maxSkip + 2, 1, (db, distance) -> db.forRange(0, plan.length(), 1, (sb, start) ->
                    match(sb, cx, plan, lead, plan.root(), 1, start, distance)));
            if (plan.mode().equals("tfidf") && weighted) {
                for (int c = 0; c < width; c++) {
                    List<Value> col = at(lead, b.index(c));
                    b.store(b.mul(b.load(cx.output(0), col), b.constant(ScalarType.F32, weights[c])), cx.output(0), col);
                }
            }
        });
    }

    /** Matches the children of {@code node} against the {@code n}-th token of an n-gram, at {@code pos}. */
    private static void match(LoopBuilder b, KernelContext cx, Plan plan, List<Value> lead, Node node, int n, Value pos,
            Value distance) {
        Value token = b.cast(b.load(cx.input(0), at(lead, pos)), ScalarType.I64);
        for (Map.Entry<Long, Node> e : node.children.entrySet()) {
            Node child = e.getValue();
            boolean counts = child.column >= 0 && n >= plan.min();
            boolean deeper = !child.children.isEmpty() && n < plan.max();
            if (!counts && !deeper) {
                continue;
            }
            b.ifThen(b.cmp("eq", token, b.constant((Type) ScalarType.I64, e.getKey())), mb -> {
                if (counts && n == 1) {
                    // Unigrams are counted once, at skip 0 (distance 1).
                    mb.ifThen(mb.cmp("eq", distance, mb.index(1)), cb -> count(cb, cx, plan, lead, child.column));
                } else if (counts) {
                    count(mb, cx, plan, lead, child.column);
                }
                if (deeper) {
                    Value next = mb.add(pos, distance);
                    mb.ifThen(mb.cmp("lt", next, mb.index(plan.length())),
                            nb -> match(nb, cx, plan, lead, child, n + 1, next, distance));
                }
            });
        }
    }

    /** One more occurrence of column {@code c}: tf/tfidf count it, idf stores its weight. */
    private static void count(LoopBuilder b, KernelContext cx, Plan plan, List<Value> lead, int c) {
        List<Value> col = at(lead, b.index(c));
        Value v = plan.mode().equals("idf") ? b.constant(ScalarType.F32, plan.weights()[c])
                : b.add(b.load(cx.output(0), col), b.constant(ScalarType.F32, 1.0));
        b.store(v, cx.output(0), col);
    }

    private static List<Value> at(List<Value> lead, Value last) {
        List<Value> idx = new ArrayList<>(lead);
        idx.add(last);
        return idx;
    }

    private static long[] longs(KernelContext cx, String name) {
        List<Attribute> elements = ((ArrayAttr) cx.op().attr(name)).elements();
        return elements.stream().mapToLong(a -> ((IntegerAttr) a).value()).toArray();
    }

    private static long integer(KernelContext cx, String name) {
        return ((IntegerAttr) cx.op().attr(name)).value();
    }
}
