package dev.lathe.cli.conformance;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.frontend.onnx.ValueProtos;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.passes.PassFailureException;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs ONNX backend-test folders ({@code model.onnx} plus {@code test_data_set_N/input_K.pb} and
 * {@code output_K.pb}): imports the model, runs every data set and compares each output with
 * {@link TensorComparison}. Anything that goes wrong, an unsupported op included, is a failure
 * with a one-line reason; nothing is skipped.
 */
public final class ConformanceRunner {

    /** Where the model runs: the reference interpreter, or native code from the CPU backend. */
    public enum Backend { INTERP, CPU }

    /** How to run: tolerances (ONNX's by default), the time one test may take, and the backend. */
    public record Options(double rtol, double atol, long timeoutMillis, Backend backend) {
        public static final Options DEFAULT = new Options(TensorComparison.DEFAULT_RTOL, TensorComparison.DEFAULT_ATOL,
                60_000, Backend.INTERP);

        public Options(double rtol, double atol, long timeoutMillis) {
            this(rtol, atol, timeoutMillis, Backend.INTERP);
        }
    }

    /**
     * The result of one test folder. {@code compiledIn}: on the CPU backend, the inputs whose values
     * were compiled into the code because they decide shapes or branches (their ops then run at
     * compile time, so such a pass says less about the generated code).
     */
    public record Outcome(String name, boolean passed, String reason, long millis, List<String> compiledIn) {}

    private static final Pattern NUMBERED = Pattern.compile("(?:input|output|test_data_set)_(\\d+)(?:\\.pb)?");

    private final Options options;

    public ConformanceRunner(Options options) {
        this.options = options;
    }

    /** Every folder under the roots (or a root itself) that holds a {@code model.onnx}, sorted by path. */
    public static List<Path> findTests(List<Path> roots) throws IOException {
        List<Path> tests = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IOException("not a directory: " + root);
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.getFileName().toString().equals("model.onnx")).map(Path::getParent).forEach(tests::add);
            }
        }
        tests.sort(Comparator.naturalOrder());
        return tests;
    }

    public Outcome run(Path testDir) {
        long start = System.nanoTime();
        String name = testDir.getFileName().toString();
        List<String> compiledIn = new ArrayList<>();
        try {
            String problem = check(testDir, compiledIn);
            return new Outcome(name, problem == null, problem, (System.nanoTime() - start) / 1_000_000,
                    List.copyOf(compiledIn));
        } catch (PassFailureException e) {
            String first = e.diagnostics().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR)
                    .map(d -> d.message()).findFirst().orElse(firstLine(e.getMessage()));
            return failed(name, start, e.passName() + ": " + first);
        } catch (DiagnosticException e) {
            return failed(name, start, firstLine(e.getMessage()));
        } catch (IOException | UncheckedIOException e) {
            return failed(name, start, "cannot read: " + e.getMessage());
        } catch (TimeLimit.Exceeded e) {
            return failed(name, start, e.getMessage());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return failed(name, start, "run: " + firstLine(String.valueOf(e.getMessage())) + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static Outcome failed(String name, long start, String reason) {
        return new Outcome(name, false, reason, (System.nanoTime() - start) / 1_000_000, List.of());
    }

    /** Null when every data set matches, else the first reason it does not. */
    private String check(Path testDir, List<String> compiledIn) throws IOException {
        Module module = OnnxImporter.importModel(testDir.resolve("model.onnx"));
        TimeLimit limit = new TimeLimit(options.timeoutMillis());
        Interpreter interpreter = new Interpreter(module, Interpreter.Options.DEFAULT.withListener(limit));
        String function = interpreter.functions().getFirst();
        List<Path> dataSets = numbered(testDir, "test_data_set_");
        if (dataSets.isEmpty()) {
            return "no test_data_set_* folder";
        }
        Signature signature = interpreter.signature(function);
        for (Path set : dataSets) {
            List<RuntimeValue> inputs = new ArrayList<>();
            for (Path pb : numbered(set, "input_")) {
                int i = inputs.size();
                Type declared = i < signature.inputs().size() ? signature.inputs().get(i).type() : null;
                inputs.add(asDeclared(ValueProtos.read(pb, declared), declared));
            }
            List<RuntimeValue> outputs = options.backend() == Backend.CPU ? runNative(module, inputs, compiledIn)
                    : interpreter.runValues(function, inputs);
            List<Path> expected = numbered(set, "output_");
            if (expected.size() != outputs.size()) {
                return set.getFileName() + ": the model gives " + outputs.size() + " outputs, the test expects "
                        + expected.size();
            }
            for (int i = 0; i < expected.size(); i++) {
                Type declared = signature.outputs().get(i).type();
                RuntimeValue want = asDeclared(ValueProtos.read(expected.get(i), declared), declared);
                String mismatch = mismatch(want, outputs.get(i));
                if (mismatch != null) {
                    return set.getFileName() + " output " + i + ": " + mismatch;
                }
            }
        }
        return null;
    }

    /**
     * Compiles the model for these inputs with the CPU backend and runs it once; sequences and
     * optionals specialize it to their lengths and presence.
     */
    private static List<RuntimeValue> runNative(Module module, List<RuntimeValue> inputs, List<String> compiledIn) {
        try (CompiledCpuModel model = CpuBackend.compileValues(module, inputs, CpuBackend.Options.defaults())) {
            for (int i : model.frozenInputs().keySet()) {
                String name = i < model.signature().inputs().size() ? model.signature().inputs().get(i).name() : "#" + i;
                if (!compiledIn.contains(name)) {
                    compiledIn.add(name);
                }
            }
            return model.runValues(inputs);
        }
    }

    /**
     * Null when {@code actual} matches {@code want}: tensors by {@link TensorComparison}, sequences
     * when the lengths match and each element matches, optionals when both are empty or both hold
     * matching values.
     */
    private String mismatch(RuntimeValue want, RuntimeValue actual) {
        return switch (want) {
            case RuntimeValue.TensorValue t -> actual instanceof RuntimeValue.TensorValue a
                    ? TensorComparison.mismatch(t.value(), a.value(), options.rtol(), options.atol())
                    : "expected a tensor, got " + actual.describe();
            case RuntimeValue.SequenceValue s -> {
                if (!(actual instanceof RuntimeValue.SequenceValue a)) {
                    yield "expected a sequence, got " + actual.describe();
                }
                if (a.elements().size() != s.elements().size()) {
                    yield "expected a sequence of " + s.elements().size() + " elements, got " + a.elements().size();
                }
                for (int i = 0; i < s.elements().size(); i++) {
                    String why = mismatch(s.elements().get(i), a.elements().get(i));
                    if (why != null) {
                        yield "element " + i + ": " + why;
                    }
                }
                yield null;
            }
            case RuntimeValue.OptionalValue o -> {
                if (!(actual instanceof RuntimeValue.OptionalValue a)) {
                    yield "expected an optional, got " + actual.describe();
                }
                if (o.isPresent() != a.isPresent()) {
                    yield "expected " + o.describe() + ", got " + a.describe();
                }
                yield o.isPresent() ? mismatch(o.value(), a.value()) : null;
            }
        };
    }

    /** {@link #asDeclared(DenseElementsAttr, Type)} through sequences and optionals. */
    static RuntimeValue asDeclared(RuntimeValue value, Type declared) {
        return switch (value) {
            case RuntimeValue.TensorValue t -> RuntimeValue.of(asDeclared(t.value(), declared));
            case RuntimeValue.SequenceValue s -> {
                Type element = declared instanceof SequenceType st ? st.element() : null;
                yield RuntimeValue.sequence(s.elements().stream().map(e -> asDeclared(e, element)).toList());
            }
            case RuntimeValue.OptionalValue o -> RuntimeValue.optional(o.isPresent()
                    ? asDeclared(o.value(), declared instanceof OptionalType ot ? ot.element() : null) : null);
        };
    }

    /**
     * ONNX's test data stores bfloat16 tensors as uint16 bit patterns (numpy has no bfloat16):
     * read them as the bf16 values the model declares.
     */
    static DenseElementsAttr asDeclared(DenseElementsAttr value, Type declared) {
        ScalarType declaredElement = declared instanceof TensorType t ? t.elementType()
                : declared instanceof ScalarType st ? st : null; // a bare type: tensors of unknown rank
        if (declaredElement == ScalarType.BF16 && value.elementType() == ScalarType.U16) {
            return DenseElementsAttr.fromBytes(value.type().withElementType(ScalarType.BF16), value.toBytes());
        }
        return value;
    }

    /** Entries named {@code PREFIX<N>} (files or folders), in numeric order. */
    private static List<Path> numbered(Path dir, String prefix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted(Comparator.comparingInt(ConformanceRunner::number))
                    .toList();
        }
    }

    private static int number(Path p) {
        Matcher m = NUMBERED.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
