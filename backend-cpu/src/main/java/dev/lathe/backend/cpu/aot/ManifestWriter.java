package dev.lathe.backend.cpu.aot;

import dev.lathe.backend.cpu.ModelSignature;
import dev.lathe.backend.cpu.TensorSpec;
import java.util.List;

/**
 * {@code manifest.json}, written by hand (a small fixed schema, so the backend needs no JSON
 * library): format version, entry symbol, target CPU, files, workspace size, inputs, outputs.
 */
final class ManifestWriter {

    static final int FORMAT_VERSION = 1;

    private ManifestWriter() {}

    static String manifest(ModelSignature sig, String targetCpu, long weightsSize, String entry) {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"format_version\": ").append(FORMAT_VERSION).append(",\n");
        j.append("  \"entry\": ").append(CText.quote(entry)).append(",\n");
        j.append("  \"target_cpu\": ").append(CText.quote(targetCpu)).append(",\n");
        j.append("  \"library\": \"").append(AotCompiler.LIBRARY).append("\",\n");
        j.append("  \"header\": \"").append(AotCompiler.HEADER).append("\",\n");
        j.append("  \"weights\": {\"file\": \"").append(AotCompiler.WEIGHTS).append("\", \"size\": ").append(weightsSize)
                .append("},\n");
        j.append("  \"workspace_size\": ").append(sig.workspaceSize()).append(",\n");
        j.append("  \"inputs\": ").append(tensors(sig.inputs(), null)).append(",\n");
        j.append("  \"outputs\": ").append(tensors(sig.outputs(), sig)).append('\n');
        return j.append("}\n").toString();
    }

    /**
     * A bounded output (data-dependent shape) has -1 at its dim in {@code shape}, the buffer's
     * {@code max_shape} and the name of its {@code extent_output}; that output, a scalar i64,
     * says {@code extent_of}.
     */
    private static String tensors(List<TensorSpec> specs, ModelSignature sig) {
        StringBuilder j = new StringBuilder("[");
        for (int i = 0; i < specs.size(); i++) {
            TensorSpec t = specs.get(i);
            ModelSignature.Bounded b = sig == null ? null : sig.boundedOutput(i);
            List<Long> shape = new java.util.ArrayList<>(t.shape());
            if (b != null) {
                shape.set(b.dim(), -1L);
            }
            j.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(CText.quote(t.name()))
                    .append(", \"dtype\": \"").append(t.elementType().text()).append("\", \"shape\": ")
                    .append(shape);
            if (b != null) {
                j.append(", \"max_shape\": ").append(t.shape()).append(", \"extent_output\": ")
                        .append(CText.quote(specs.get(b.extentOutput()).name()));
            }
            for (ModelSignature.Bounded e : sig == null ? List.<ModelSignature.Bounded>of() : sig.bounded()) {
                if (e.extentOutput() == i) {
                    j.append(", \"extent_of\": ").append(CText.quote(specs.get(e.output()).name()));
                }
            }
            j.append('}');
        }
        return j.append(specs.isEmpty() ? "]" : "\n  ]").toString();
    }
}
