package dev.lathe.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.ExternalResources;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.ResourceBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large blobs printed into a side file come back byte for byte; bad references are located errors. */
class ExternalResourcesTest {

    static final String USES = """
            module {
              func.func @f() -> tensor<2xf32> {
                %0 = "nn.constant"() {value = dense_resource<small> : tensor<2xf32>} : () -> tensor<2xf32>
                func.return %0 : tensor<2xf32>
              }
            }
            """;

    @Test
    void largeBlobsRoundTripThroughTheSideFile(@TempDir Path dir) throws IOException {
        Module m = IRParser.parse(USES + resourceSection("small", "0x400000000000803F00000040"), "t.lir");
        byte[] big = new byte[100_000];
        new Random(1).nextBytes(big);
        m.putResource("big", new ResourceBlob(big, 64));
        String text;
        try (ExternalResources side = new ExternalResources(dir.resolve("t.weights"), 1024)) {
            text = IRPrinter.print(m, new IRPrinter.Options(false, side));
            assertEquals(1, side.placed());
        }
        assertTrue(text.contains("big: \"external:t.weights:0:100000:64\""), text);
        assertTrue(text.contains("small: \"0x40000000"), "small blobs stay inline:\n" + text);
        Path lir = dir.resolve("t.lir");
        Files.writeString(lir, text);
        Module back = IRParser.parse(Files.readString(lir), lir.toString());
        assertEquals(m.resources(), back.resources());
    }

    @Test
    void referencesOutsideTheDirectoryOrFileAreErrors(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("w.bin"), new byte[16]);
        String escape = USES + resourceSection("small", "external:../w.bin:0:8:8");
        DiagnosticException e = assertThrows(DiagnosticException.class,
                () -> IRParser.parse(escape, dir.resolve("t.lir").toString()));
        assertTrue(e.getMessage().contains("expected an external resource as \"external:FILE:OFFSET:SIZE:ALIGNMENT\""),
                e.getMessage());
        String beyond = USES + resourceSection("small", "external:w.bin:8:16:8");
        e = assertThrows(DiagnosticException.class, () -> IRParser.parse(beyond, dir.resolve("t.lir").toString()));
        assertTrue(e.getMessage().contains("lies beyond the end of"), e.getMessage());
        String missing = USES + resourceSection("small", "external:nope.bin:0:8:8");
        e = assertThrows(DiagnosticException.class, () -> IRParser.parse(missing, dir.resolve("t.lir").toString()));
        assertEquals(dir.resolve("t.lir") + ":10:14: error: cannot read external resource file " + dir.resolve("nope.bin")
                + ": no such file", e.getMessage());
    }

    static String resourceSection(String name, String value) {
        return "{-#\n  dialect_resources: {\n    builtin: {\n      " + name + ": \"" + value + "\"\n    }\n  }\n#-}\n";
    }
}
