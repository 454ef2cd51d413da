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
        j.append("  \"inputs\": ").append(tensors(sig.inputs())).append(",\n");
        j.append("  \"outputs\": ").append(tensors(sig.outputs())).append('\n');
        return j.append("}\n").toString();
    }

    private static String tensors(List<TensorSpec> specs) {
        StringBuilder j = new StringBuilder("[");
        for (int i = 0; i < specs.size(); i++) {
            TensorSpec t = specs.get(i);
            j.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(CText.quote(t.name()))
                    .append(", \"dtype\": \"").append(t.elementType().text()).append("\", \"shape\": ")
                    .append(t.shape()).append('}');
        }
        return j.append(specs.isEmpty() ? "]" : "\n  ]").toString();
    }
}
