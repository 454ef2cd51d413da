package dev.lathe.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code print(parse(print(m))) == print(m)}, and the reparse is the same IR, for every case of
 * the {@code roundtrip/*.lir} corpus, with and without printed locations. Cases are split by
 * {@code // -----}; a case marked {@code // canonical} (or {@code // canonical-with-locations})
 * must also print back exactly as written, comment lines aside.
 */
class RoundTripTest {

    private static final IRPrinter.Options WITH_LOCATIONS = new IRPrinter.Options(true);

    @TestFactory
    Stream<DynamicTest> everyCorpusCaseRoundTrips() throws IOException, URISyntaxException {
        Path dir = Path.of(RoundTripTest.class.getResource("roundtrip").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".lir")).sorted().toList()) {
                for (Case c : split(file)) {
                    tests.add(DynamicTest.dynamicTest(c.name(), () -> c.check()));
                }
            }
        }
        assertTrue(tests.size() >= 20, "the corpus lost cases: " + tests.size());
        return tests.stream();
    }

    /** Round-trips {@code m} with and without locations; returns the canonical text. */
    static String assertRoundTrips(Module m, String name) {
        String printed = IRPrinter.print(m);
        Module reparsed = IRParser.parse(printed, name);
        assertEquals(printed, IRPrinter.print(reparsed), "print(parse(print(m))) differs for " + name);
        int ops = SameStructure.check(m, reparsed, false);
        assertTrue(ops >= 1);

        String located = IRPrinter.print(m, WITH_LOCATIONS);
        Module relocated = IRParser.parse(located, name);
        assertEquals(located, IRPrinter.print(relocated, WITH_LOCATIONS),
                "printing with locations differs for " + name);
        SameStructure.check(m, relocated, true);
        return printed;
    }

    private record Case(String name, String text) {
        void check() {
            Module m = IRParser.parse(text, name);
            String printed = assertRoundTrips(m, name);
            String body = withoutComments(text);
            if (text.contains("// canonical-with-locations")) {
                assertEquals(body, IRPrinter.print(m, WITH_LOCATIONS), "not canonical: " + name);
            } else if (text.contains("// canonical")) {
                assertEquals(body, printed, "not canonical: " + name);
            }
        }
    }

    private static List<Case> split(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int start = 1;
        for (int i = 0; i <= lines.size(); i++) {
            if (i == lines.size() || lines.get(i).equals("// -----")) {
                String name = file.getFileName() + ":" + start;
                cases.add(new Case(name, "\n".repeat(start - 1) + current)); // keep line numbers
                current.setLength(0);
                start = i + 2;
            } else {
                current.append(lines.get(i)).append('\n');
            }
        }
        return cases;
    }

    private static String withoutComments(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.isBlank() && !line.strip().startsWith("//")) {
                sb.append(line).append('\n');
            }
        }
        String s = sb.toString();
        // A resource section is printed after one blank line.
        return s.replace("}\n{-#", "}\n\n{-#");
    }
}
