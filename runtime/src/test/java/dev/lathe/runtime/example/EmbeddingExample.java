package dev.lathe.runtime.example;

import dev.lathe.runtime.CompileReport;
import dev.lathe.runtime.CompiledModel;
import dev.lathe.runtime.Lathe;
import dev.lathe.runtime.Options;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.TensorInfo;
import java.nio.file.Path;
import java.util.Map;

/** The example docs/embedding.md shows (EmbeddingExampleTest runs it and checks the doc quotes it). */
public final class EmbeddingExample {

    public static void main(String[] args) {
        Path modelFile = Path.of(args[0]); // a .onnx model, or a .lir module
        Options options = Options.defaults()
                .withThreads(4)                                   // threads per call's parallel loops
                .withCacheDir(Path.of(args.length > 1 ? args[1]   // compiled code reused across restarts
                        : Options.defaultCacheDir().toString()));

        // Compile once; the model is thread-safe, so one instance serves every request thread.
        try (CompiledModel model = Lathe.compile(modelFile, options)) {
            for (TensorInfo in : model.inputs()) {
                System.out.println("input " + in.name() + ": " + in.describe()); // -1 / ? = set per call
            }

            // Inputs by name; a dim marked ? in the signature takes any size (one compile per new shape).
            Tensor x = Tensor.of(new float[] {1f, -2f, 3f, -4f, 5f, -6f}, 2, 3);
            Map<String, Tensor> outputs = model.run(Map.of("x", x));

            for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
                float[] values = e.getValue().toFloatArray();
                System.out.println(e.getKey() + " " + e.getValue().describe() + " = " + java.util.Arrays.toString(values));
            }
            for (CompileReport r : model.compileReports()) {
                System.out.println("shapes " + r.inputShapes() + ": " + r.describe()); // "cache hit (disk) in 9.1 ms"
            }

            // A wrong call says what was expected:
            try {
                model.run(Map.of("x", Tensor.of(new long[] {1, 2, 3}, 1, 3)));
            } catch (IllegalArgumentException bad) {
                System.out.println(bad.getMessage()); // input 'x': expected f32 [?, 3], got i64 [1, 3]
            }
        }
    }
}
