package dev.lathe.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .lir} test file: its RUN lines and its cases, split at lines that are exactly
 * {@code // -----} (as {@code mlir-opt -split-input-file}). A case that is only blank lines, such
 * as after a trailing separator, is left out.
 *
 * @param fileName the name used in every message, e.g. {@code passes/cse.lir}
 */
public record LirTestFile(String fileName, List<RunLine> runLines, List<LirTestCase> cases) {
    public static final String SPLIT_MARKER = "// -----";

    public LirTestFile {
        runLines = List.copyOf(runLines);
        cases = List.copyOf(cases);
    }

    /**
     * @throws CheckSyntaxException for a malformed RUN line; directives and diagnostic
     *                              annotations are parsed per case, when asked for
     */
    public static LirTestFile parse(String fileName, String text) {
        List<String> lines = new InputText(text).lines();
        var cases = new ArrayList<LirTestCase>();
        int chunkStart = 0;
        int number = 1;
        for (int i = 0; i <= lines.size(); i++) {
            if (i < lines.size() && !lines.get(i).strip().equals(SPLIT_MARKER)) continue;
            List<String> chunk = lines.subList(chunkStart, i);
            if (!chunk.stream().allMatch(String::isBlank)) {
                cases.add(new LirTestCase(fileName, number, chunkStart + 1, String.join("\n", chunk) + "\n"));
            }
            number++;
            chunkStart = i + 1;
        }
        return new LirTestFile(fileName, RunLine.parseAll(fileName, lines), cases);
    }

    /** Reads and parses {@code file}, naming it {@code fileName} in messages. */
    public static LirTestFile read(Path file, String fileName) throws IOException {
        return parse(fileName, Files.readString(file));
    }
}
