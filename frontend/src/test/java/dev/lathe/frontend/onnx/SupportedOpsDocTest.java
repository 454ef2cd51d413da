package dev.lathe.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/onnx.md's list of supported ops is generated from the converter table, never written by
 * hand: this test fails when they differ, and rewrites the list when run with
 * {@code -Dlathe.onnx.updateDocs=true} ({@code ./mvnw -o -pl frontend test
 * -Dtest=SupportedOpsDocTest -Dlathe.onnx.updateDocs=true}).
 */
class SupportedOpsDocTest {

    static final String BEGIN = "<!-- BEGIN GENERATED supported-ops: SupportedOpsDocTest writes this list -->";
    static final String END = "<!-- END GENERATED supported-ops -->";

    /** The generated block, markers included. */
    static String table() {
        OnnxOpRegistry registry = OnnxOpRegistry.builtin();
        StringBuilder sb = new StringBuilder(BEGIN).append('\n');
        sb.append(registry.opTypes().size()).append(" ops of the default domain (`ai.onnx`), opsets ")
                .append(OnnxImporter.MIN_SUPPORTED_OPSET).append(" to ").append(OnnxImporter.MAX_OPSET).append(":\n\n");
        sb.append("| ONNX op | converter |\n|---|---|\n");
        for (String op : registry.opTypes()) {
            sb.append("| ").append(op).append(" | `").append(converterName(registry.lookup(OnnxImporter.DEFAULT_DOMAIN, op)))
                    .append("` |\n");
        }
        return sb.append(END).toString();
    }

    /** The class that defines a converter; a lambda is named after the class it is written in. */
    private static String converterName(OnnxOpConverter converter) {
        String name = converter.getClass().getName();
        name = name.substring(name.lastIndexOf('.') + 1);
        int lambda = name.indexOf("$$");
        return lambda >= 0 ? name.substring(0, lambda) : name;
    }

    @Test
    void docsListEverySupportedOp() throws IOException {
        Path doc = Path.of("..", "docs", "onnx.md").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(doc), "expected docs/onnx.md at " + doc);
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/onnx.md needs the lines " + BEGIN + " and " + END);
        String current = text.substring(begin, end + END.length());
        if (Boolean.getBoolean("lathe.onnx.updateDocs")) {
            Files.writeString(doc, text.substring(0, begin) + table() + text.substring(end + END.length()),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(table(), current, "docs/onnx.md lists other ops than the converter table; regenerate with"
                + " ./mvnw -o -pl frontend test -Dtest=SupportedOpsDocTest -Dlathe.onnx.updateDocs=true");
    }
}
