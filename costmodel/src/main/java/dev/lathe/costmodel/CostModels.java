package dev.lathe.costmodel;

import java.util.function.Supplier;

/** Where the compiler gets its cost model. */
public final class CostModels {

    /** The model {@link #defaultModel} returns inside {@link #withDefault}. */
    private static final ScopedValue<CostModel> SCOPED = ScopedValue.newInstance();

    private CostModels() {
    }

    /** The roofline model for this machine. */
    public static CostModel analytical() {
        return Host.ANALYTICAL;
    }

    /** The roofline model for another machine. */
    public static CostModel analytical(MachineModel machine) {
        return new AnalyticalCostModel(machine);
    }

    /**
     * The model passes use now: the one {@link #withDefault} bound on this thread, else the analytical
     * one. Once {@code lathe costmodel train} produces a learned model whose machine fingerprint matches
     * this host, this is where it takes over.
     */
    public static CostModel defaultModel() {
        return SCOPED.orElse(analytical());
    }

    /**
     * Runs {@code body} (on this thread) with {@link #defaultModel} answering {@code model}: how a
     * compile applies measured GEMM choices ({@link TunedCostModel}) without any pass knowing.
     * Passes read the default model when they are built and run, both inside {@code body}.
     */
    public static <T> T withDefault(CostModel model, Supplier<T> body) {
        return ScopedValue.where(SCOPED, model).call(body::get);
    }

    private static final class Host {
        static final CostModel ANALYTICAL = new AnalyticalCostModel(MachineModel.host());
    }
}
