package dev.lathe.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.testing.IRTesting;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassManagerTest {

    /** A pass for tests: a name and what it does to the module. */
    static final class TestPass extends Pass {
        private final String name;
        private final BiConsumer<Module, PassContext> body;

        TestPass(String name, BiConsumer<Module, PassContext> body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "test pass " + name;
        }

        @Override
        public void run(Module module, PassContext context) {
            body.accept(module, context);
        }
    }

    private static Operation firstOp(Module m, String name) {
        List<Operation> found = new ArrayList<>();
        m.walk(op -> {
            if (op.isA(name)) {
                found.add(op);
            }
        });
        return found.getFirst();
    }

    private static final PassRegistry REGISTRY = PassRegistry.withBuiltins()
            .register(() -> new TestPass("noop", (m, c) -> {}))
            .register(() -> new TestPass("break-ir", (m, c) ->
                    firstOp(m, "nn.add").result().setType(TensorType.of(ScalarType.F32, 7))))
            .register(() -> new TestPass("crash", (m, c) -> {
                Operation add = firstOp(m, "nn.add");
                throw new OpCrashException(add, "while testing", new ArithmeticException("/ by zero"));
            }))
            .register(() -> new TestPass("fail", (m, c) -> c.fail(firstOp(m, "nn.add").location(), "cannot handle this")));

    private static final String INPUT = """
            module {
              func.func @f(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
                %0 = "nn.add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                %1 = "nn.add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                %2 = "nn.mul"(%0, %1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                %3 = "nn.relu"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                func.return %2 : tensor<2xf32>
              }
            }
            """;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static PassManager manager(String pipeline) {
        return new PassManager(PassPipeline.parse(pipeline, REGISTRY)).disableCrashReproducer();
    }

    @Test
    void runsPassesInOrderAndReportsTheirCounters() {
        Module m = IRTesting.parse(INPUT);
        var result = manager("cse,dce").run(m);
        assertEquals(List.of("cse", "dce"), result.passes().stream().map(c -> c.pass().name()).toList());
        assertEquals(1L, result.passes().get(0).counter("ops-eliminated"));
        assertEquals(1L, result.passes().get(1).counter("ops-erased"));
    }

    @Test
    void verifierBlamesThePassThatBrokeTheIR() {
        var e = assertThrows(PassFailureException.class, () -> manager("noop,break-ir,cse").run(IRTesting.parse(INPUT)));
        assertEquals("break-ir", e.passName());
        assertEquals(PassFailure.Kind.INVALID_IR, e.kind());
        assertTrue(e.getMessage().startsWith("pass 'break-ir' produced invalid IR\ntest.lir:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("tensor<7xf32>"), e.getMessage());
    }

    @Test
    void withoutVerifyEachABrokenPassGoesUnnoticed() {
        manager("break-ir").verifyEach(false).run(IRTesting.parse(INPUT));
    }

    @Test
    void invalidInputIsReportedBeforeAnyPass() {
        Module m = IRTesting.parse(INPUT.replace("\"nn.relu\"", "\"unknown.relu\""));
        var e = assertThrows(DiagnosticException.class, () -> manager("noop").run(m));
        assertTrue(e.getMessage().contains("'unknown.relu' op is not registered"), e.getMessage());
        manager("noop").allowUnregistered(true).run(m);
    }

    @Test
    void aSignalledFailureCarriesThePassDiagnostics() {
        var e = assertThrows(PassFailureException.class, () -> manager("fail").run(IRTesting.parse(INPUT)));
        assertEquals(PassFailure.Kind.FAILED, e.kind());
        assertEquals("pass 'fail' failed\ntest.lir:3:5: error: cannot handle this", e.getMessage());
    }

    @Test
    void printAfterChangePrintsOnlyPassesThatChangedTheIR() {
        Module m = IRTesting.parse(INPUT);
        manager("noop,cse,noop,dce").printIrAfterChange(out).run(m);
        String text = output();
        assertEquals(List.of("// -----// IR Dump After cse //----- //", "// -----// IR Dump After dce //----- //"),
                text.lines().filter(l -> l.startsWith("// -----//")).toList());
        assertTrue(text.endsWith(IRPrinter.print(m) + "\n"), text);
    }

    @Test
    void printAfterAllPrintsEveryPass() {
        manager("noop,cse").printIrAfterAll(out).run(IRTesting.parse(INPUT));
        assertEquals(2, output().lines().filter(l -> l.startsWith("// -----// IR Dump After")).count());
        assertTrue(output().startsWith("// -----// IR Dump After noop //----- //\nmodule {\n"), output());
    }

    @Test
    void printAfterFailurePrintsTheBrokenIR() {
        assertThrows(PassFailureException.class, () -> manager("cse,break-ir").printIrAfterFailure(out).run(IRTesting.parse(INPUT)));
        assertTrue(output().startsWith("// -----// IR Dump After break-ir Failed //----- //\n"), output());
        assertTrue(output().contains("-> tensor<7xf32>"), output());
    }

    @Test
    void timingReportListsEachPassWithItsShare() {
        manager("canonicalize,cse,canonicalize").timing(out).run(IRTesting.parse(INPUT));
        String report = output();
        assertTrue(report.contains("Pass execution timing report"), report);
        assertTrue(report.contains("Wall Time  Percent  Pass"), report);
        assertEquals(2, report.lines().filter(l -> l.endsWith("%  canonicalize")).count(), report);
        assertTrue(report.lines().anyMatch(l -> l.matches(" +[0-9.]+ ms +100\\.0%  Total")), report);
    }

    @Test
    void statisticsReportGivesCountersAndOpCounts() {
        manager("cse,dce").statistics(out).run(IRTesting.parse(INPUT));
        String report = output();
        assertTrue(report.contains("cse\n  ops: 6 -> 5\n  ops-eliminated: 1\n"), report);
        assertTrue(report.contains("dce\n  ops: 5 -> 4\n  ops-erased: 1\n"), report);
    }

    @Test
    void crashWritesAReproducerThatRerunsTheRestOfThePipeline(@TempDir Path dir) throws Exception {
        Module m = IRTesting.parse(INPUT);
        var pm = manager("cse,crash,fold-constants{max-inline-elements=2},dce").reproducerDir(dir).reproducerName("model");
        var e = assertThrows(PassFailureException.class, () -> pm.run(m));
        Path file = dir.resolve("model.reproducer.lir");
        assertEquals(file, e.reproducer());
        String message = e.getMessage();
        assertTrue(message.startsWith("pass 'crash' crashed on 'nn.add' at test.lir:3:5: java.lang.ArithmeticException: / by zero"),
                message);
        assertTrue(message.contains("reproducer written to " + file), message);
        assertFalse(message.contains("\tat "), "no stack trace in the message");
        assertInstanceOf(OpCrashException.class, e.getCause());

        String text = Files.readString(file);
        String run = "// RUN: lathe opt %s --pass-pipeline='crash,fold-constants{max-inline-elements=2},dce'\n";
        assertTrue(text.startsWith(run), text);
        Module before = IRTesting.parse(text);
        assertEquals(1, IRPrinter.print(before).split("nn.add", -1).length - 1, "the IR after cse, before crash");
        var rerun = PassPipeline.parse("crash,fold-constants{max-inline-elements=2},dce", REGISTRY);
        var again = assertThrows(PassFailureException.class,
                () -> new PassManager(rerun).disableCrashReproducer().run(before));
        assertEquals("crash", again.passName());
    }

    @Test
    void aReportedFailureWritesNoReproducer(@TempDir Path dir) throws Exception {
        var e = assertThrows(PassFailureException.class, () -> manager("fail").reproducerDir(dir).run(IRTesting.parse(INPUT)));
        assertEquals(null, e.reproducer());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void instrumentationsNestAroundEachPass() {
        List<String> events = new ArrayList<>();
        class Recorder implements PassInstrumentation {
            private final String id;

            Recorder(String id) {
                this.id = id;
            }

            @Override
            public void runBeforePass(Pass pass, Module module) {
                events.add(id + " before " + pass.name());
            }

            @Override
            public void runAfterPass(Pass pass, Module module, PassContext context) {
                events.add(id + " after " + pass.name());
            }

            @Override
            public void runAfterPassFailed(Pass pass, Module module, PassFailure failure) {
                events.add(id + " failed " + pass.name());
            }

            @Override
            public void runAfterPipeline(Module module, boolean succeeded) {
                events.add(id + " end " + succeeded);
            }
        }
        var pm = manager("noop,fail,cse").addInstrumentation(new Recorder("A")).addInstrumentation(new Recorder("B"));
        assertThrows(PassFailureException.class, () -> pm.run(IRTesting.parse(INPUT)));
        assertEquals(List.of("A before noop", "B before noop", "B after noop", "A after noop",
                "A before fail", "B before fail", "B failed fail", "A failed fail", "B end false", "A end false"), events);
    }
}
