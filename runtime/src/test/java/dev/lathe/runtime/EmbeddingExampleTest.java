package dev.lathe.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.example.EmbeddingExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/embedding.md's example compiles (it is a class of this module), runs, and is quoted verbatim. */
class EmbeddingExampleTest {

    private static final String MODEL = """
            func.func @main(%x: tensor<?x3xf32>) -> tensor<?x3xf32> attributes {result_names = ["y"]} {
              %0 = "nn.relu"(%x) : (tensor<?x3xf32>) -> tensor<?x3xf32>
              func.return %0 : tensor<?x3xf32>
            }
            """;

    @Test
    void theExampleRunsTwiceTheSecondTimeFromTheCache(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("relu.lir"), MODEL);
        String first = run(model, dir.resolve("cache"));
        assertTrue(first.contains("y f32 [2, 3] = [1.0, 0.0, 3.0, 0.0, 5.0, 0.0]"), first);
        assertTrue(first.contains("cache miss, compiled"), first);
        assertTrue(first.contains("input 'x': expected f32 [?, 3], got i64 [1, 3]"), first);
        SpecializationCompiler.clearMemory();
        String second = run(model, dir.resolve("cache"));
        assertTrue(second.contains("cache hit (disk)"), second);
    }

    @Test
    void theDocQuotesTheExample() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        String doc = Files.readString(root.resolve("docs/embedding.md"));
        String example = Files.readString(Path.of("src/test/java/dev/lathe/runtime/example/EmbeddingExample.java"));
        String body = example.substring(example.indexOf("public final class"));
        assertTrue(doc.contains(body), "docs/embedding.md must quote EmbeddingExample.java from 'public final class' on");
    }

    private static String run(Path model, Path cache) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            EmbeddingExample.main(new String[] {model.toString(), cache.toString()});
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }
}
