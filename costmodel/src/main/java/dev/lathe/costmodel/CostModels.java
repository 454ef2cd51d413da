package dev.lathe.costmodel;

/** Where the compiler gets its cost model. */
public final class CostModels {

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
     * The model passes use now. It is the analytical one; once {@code lathe costmodel train} produces a
     * learned model whose machine fingerprint matches this host, this is where it takes over.
     */
    public static CostModel defaultModel() {
        return analytical();
    }

    private static final class Host {
        static final CostModel ANALYTICAL = new AnalyticalCostModel(MachineModel.host());
    }
}
