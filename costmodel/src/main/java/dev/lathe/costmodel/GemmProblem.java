package dev.lathe.costmodel;

import dev.lathe.ir.type.ScalarType;

/**
 * What {@link CostModel#bestGemm} is asked: {@code C[m,n] = A[m,k] B[k,n]} in {@code et} (a batched
 * product asks with its batch folded into {@code m}). The key of a measured choice
 * ({@link TunedCostModel}).
 */
public record GemmProblem(long m, long n, long k, ScalarType et) {

    /** {@code 1536x128x32 f32}. */
    public String describe() {
        return m + "x" + n + "x" + k + " " + et.text();
    }
}
