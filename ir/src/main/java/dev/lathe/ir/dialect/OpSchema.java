package dev.lathe.ir.dialect;

import java.util.List;

/**
 * The shape of an op that the verifier checks generically: operand and result counts
 * ({@link #VARIADIC} for any number), region count and the attributes it accepts. Attributes
 * not in the schema are allowed (like MLIR's discardable attributes) unless {@code closed}.
 */
public record OpSchema(int minOperands, int maxOperands, int numResults, int numRegions,
        List<AttrSpec> attributes, boolean closed) {

    public static final int VARIADIC = -1;

    public OpSchema {
        attributes = List.copyOf(attributes);
    }

    /** Fixed operand count, one result, no regions. */
    public static OpSchema of(int numOperands, AttrSpec... attributes) {
        return new OpSchema(numOperands, numOperands, 1, 0, List.of(attributes), false);
    }

    public OpSchema withOperands(int min, int max) {
        return new OpSchema(min, max, numResults, numRegions, attributes, closed);
    }

    public OpSchema withResults(int n) {
        return new OpSchema(minOperands, maxOperands, n, numRegions, attributes, closed);
    }

    public OpSchema withRegions(int n) {
        return new OpSchema(minOperands, maxOperands, numResults, n, attributes, closed);
    }

    public String operandCountText() {
        if (maxOperands == VARIADIC) {
            return "at least " + minOperands;
        }
        return minOperands == maxOperands ? Integer.toString(minOperands) : minOperands + " to " + maxOperands;
    }
}
