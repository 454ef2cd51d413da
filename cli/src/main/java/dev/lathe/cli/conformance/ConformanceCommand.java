package dev.lathe.cli.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lathe.cli.UserErrorException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe conformance DIR...}: ONNX backend tests, one line per failure, then the totals. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = {"Runs every ONNX test folder (model.onnx + test_data_set_*) under the given directories",
                "and compares with ONNX's tolerances. Ends with the line 'N passed, N failed'."})
public final class ConformanceCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "test folders, or folders holding them")
    List<Path> roots;

    @Option(names = "--json", paramLabel = "REPORT", description = "also write a JSON report here")
    Path json;

    @Option(names = "--backend", defaultValue = "interp",
            description = "where to run: interp (the reference interpreter) or cpu (native code through LLVM)")
    String backend;

    @Option(names = "--rtol", defaultValue = "1e-3", description = "relative tolerance (default: ${DEFAULT-VALUE})")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-7", description = "absolute tolerance (default: ${DEFAULT-VALUE})")
    double atol;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "time limit per test")
    long timeoutSeconds;

    @Option(names = {"-v", "--verbose"}, description = "also list the tests that pass")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        ConformanceRunner.Backend which = switch (backend) {
            case "interp" -> ConformanceRunner.Backend.INTERP;
            case "cpu" -> ConformanceRunner.Backend.CPU;
            default -> throw new UserErrorException("unknown backend '" + backend + "'; available: interp, cpu");
        };
        List<Path> tests;
        try {
            tests = ConformanceRunner.findTests(roots);
        } catch (IOException e) {
            throw new UserErrorException(e.getMessage());
        }
        ConformanceRunner runner = new ConformanceRunner(new ConformanceRunner.Options(rtol, atol, timeoutSeconds * 1000, which));
        PrintWriter out = spec.commandLine().getOut();
        List<ConformanceRunner.Outcome> outcomes = new ArrayList<>();
        int passed = 0;
        int withValuesCompiledIn = 0;
        for (Path test : tests) {
            ConformanceRunner.Outcome o = runner.run(test);
            outcomes.add(o);
            if (o.passed()) {
                passed++;
                if (!o.compiledIn().isEmpty()) {
                    withValuesCompiledIn++;
                }
                if (verbose) {
                    out.println("PASS " + o.name() + " (" + o.millis() + " ms)"
                            + (o.compiledIn().isEmpty() ? "" : " [input values compiled in: " + String.join(", ", o.compiledIn()) + "]"));
                }
            } else {
                out.println("FAIL " + o.name() + ": " + o.reason());
            }
            out.flush();
        }
        if (json != null) {
            writeJson(outcomes, passed);
        }
        if (withValuesCompiledIn > 0) {
            out.println(withValuesCompiledIn + " of the passing tests ran with input values compiled in (they decide"
                    + " shapes or branches; -v names them)");
        }
        out.println(passed + " passed, " + (tests.size() - passed) + " failed");
        out.flush();
        return 0;
    }

    private void writeJson(List<ConformanceRunner.Outcome> outcomes, int passed) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("backend", backend);
        report.put("passed", passed);
        report.put("failed", outcomes.size() - passed);
        report.put("tests", outcomes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    }
}
