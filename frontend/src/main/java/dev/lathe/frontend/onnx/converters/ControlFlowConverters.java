package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.OnnxOpRegistry;

/**
 * Converters of the control-flow family (If, Loop, Scan), whose subgraphs become regions of
 * {@code nn.if}, {@code nn.loop} and {@code nn.scan}; one line in
 * {@link BuiltinConverters#registerAll} registers them all.
 */
public final class ControlFlowConverters {

    private ControlFlowConverters() {}

    public static void registerAll(OnnxOpRegistry r) {
        r.register("If", new IfConverter());
        r.register("Loop", new LoopConverter());
        r.register("Scan", new ScanConverter());
    }
}
