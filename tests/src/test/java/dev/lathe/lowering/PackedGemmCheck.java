package dev.lathe.lowering;

/** Runs one {@link PackedGemmTest} case from a main (the bench harness), outside JUnit. */
public final class PackedGemmCheck {
    private PackedGemmCheck() {}

    public static void run(int m, int n, int k, String batch, boolean constB) {
        PackedGemmTest.check(m, n, k, batch, constB);
    }
}
