package dev.lathe.passes.lower;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Whether two kernel functions are the same code under different names: same ops in the same
 * order with equal attributes and types, operands that correspond (arguments by position, results
 * by the op that made them), regions alike. Locations are ignored (they never reach the machine
 * code; assertion messages are attributes and do count). Lets {@link FunctionLowering} emit the
 * repeated layers of a model once. Cheaper than comparing printed text, which cost a third of
 * lowering a transformer.
 */
final class KernelIdentity {

    private static final String NAME = "sym_name";

    private KernelIdentity() {}

    /** A hash of {@code fn}'s structure without its name: identical kernels hash alike. */
    static int hash(Operation fn) {
        int[] h = {withoutName(fn.attributes()).hashCode()};
        fn.walk(op -> {
            if (op != fn) {
                h[0] = h[0] * 31 + op.name().hashCode();
                h[0] = h[0] * 31 + op.attributes().hashCode();
            }
            h[0] = h[0] * 31 + op.resultTypes().hashCode();
            h[0] = h[0] * 31 + op.numOperands();
            h[0] = h[0] * 31 + op.regions().size();
        });
        return h[0];
    }

    /** Whether {@code a} and {@code b} are the same function apart from their names. */
    static boolean same(Operation a, Operation b) {
        return a.name().equals(b.name()) && withoutName(a.attributes()).equals(withoutName(b.attributes()))
                && sameShape(a, b, new HashMap<>());
    }

    private static SortedMap<String, Attribute> withoutName(SortedMap<String, Attribute> attributes) {
        SortedMap<String, Attribute> copy = new TreeMap<>(attributes);
        copy.remove(NAME);
        return copy;
    }

    private static boolean sameOp(Operation a, Operation b, Map<Value, Value> corresponding) {
        return a.name().equals(b.name()) && a.attributes().equals(b.attributes()) && sameShape(a, b, corresponding);
    }

    /** Types, operands and regions (not name and attributes); maps a's results to b's. */
    private static boolean sameShape(Operation a, Operation b, Map<Value, Value> corresponding) {
        if (a.numOperands() != b.numOperands() || a.numResults() != b.numResults()
                || a.regions().size() != b.regions().size() || !a.resultTypes().equals(b.resultTypes())) {
            return false;
        }
        for (int i = 0; i < a.numOperands(); i++) {
            Value va = a.operand(i);
            Value vb = b.operand(i);
            Value mapped = corresponding.get(va);
            if (mapped == null ? va != vb : mapped != vb) {
                return false; // a value from outside both (none in an isolated function) must be the same one
            }
        }
        for (int r = 0; r < a.regions().size(); r++) {
            if (!sameRegion(a.region(r), b.region(r), corresponding)) {
                return false;
            }
        }
        for (int i = 0; i < a.numResults(); i++) {
            corresponding.put(a.result(i), b.result(i));
        }
        return true;
    }

    private static boolean sameRegion(Region a, Region b, Map<Value, Value> corresponding) {
        List<Block> ab = a.blocks();
        List<Block> bb = b.blocks();
        if (ab.size() != bb.size()) {
            return false;
        }
        for (int k = 0; k < ab.size(); k++) {
            Block x = ab.get(k);
            Block y = bb.get(k);
            if (x.numArguments() != y.numArguments() || x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.numArguments(); i++) {
                if (!x.argument(i).type().equals(y.argument(i).type())) {
                    return false;
                }
                corresponding.put(x.argument(i), y.argument(i));
            }
            for (Operation p = x.first(), q = y.first(); p != null; p = p.nextOp(), q = q.nextOp()) {
                if (!sameOp(p, q, corresponding)) {
                    return false;
                }
            }
        }
        return true;
    }
}
