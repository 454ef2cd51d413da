package dev.lathe.ir.dialect.loop;

/** Names of the {@code loop} ops, for builders, lowerings and backends. */
public final class LoopOps {

    private LoopOps() {}

    public static final String ALLOC = "loop.alloc";
    public static final String WEIGHT = "loop.weight";
    public static final String VIEW = "loop.view";
    public static final String ALLOCA = "loop.alloca";

    public static final String FOR = "loop.for";
    public static final String PARALLEL = "loop.parallel";
    public static final String IF = "loop.if";
    public static final String YIELD = "loop.yield";
    public static final String ASSERT = "loop.assert";

    public static final String LOAD = "loop.load";
    public static final String STORE = "loop.store";
    public static final String VLOAD = "loop.vload";
    public static final String VSTORE = "loop.vstore";
    public static final String PREFETCH = "loop.prefetch";

    public static final String CONSTANT = "loop.constant";
    public static final String FMA = "loop.fma";
    public static final String CMP = "loop.cmp";
    public static final String SELECT = "loop.select";
    public static final String CAST = "loop.cast";
    public static final String BITCAST = "loop.bitcast";
    public static final String BROADCAST = "loop.broadcast";
    public static final String REDUCE = "loop.reduce";
}
