package dev.lathe.cli;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.DebugDump;
import dev.lathe.frontend.onnx.Npy;
import dev.lathe.frontend.onnx.TensorProtos;
import dev.lathe.frontend.onnx.ValueProtos;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.runtime.CompileReport;
import dev.lathe.runtime.CompiledModel;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Lathe;
import dev.lathe.runtime.Tensor;
import dev.lathe.ir.type.Type;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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

/** {@code lathe run MODEL --input NAME=FILE ...}: runs a model once and writes its outputs. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a model (.onnx or .lir) on inputs read from ONNX TensorProto (.pb) or NumPy (.npy) files,",
                "prints a summary of each output and writes DIR/<output>.pb when --output-dir is given."})
public final class RunCommand implements Callable<Integer> {

    /** Elements shown per output in the summary. */
    static final int SHOWN = 8;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a .onnx model or a .lir module")
    Path model;

    @Option(names = "--input", paramLabel = "NAME=FILE", description = "an input tensor (.pb or .npy); repeat per input")
    Map<String, Path> inputs = new LinkedHashMap<>();

    @Option(names = "--output-dir", paramLabel = "DIR", description = "write each output as DIR/<name>.pb")
    Path outputDir;

    @Option(names = "--function", defaultValue = "main", description = "the function to run (default: ${DEFAULT-VALUE})")
    String function;

    @Option(names = "--backend", defaultValue = "interp",
            description = "where to run: interp (the reference interpreter) or cpu (native code through LLVM)")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "threads for parallel loops (cpu; default: all cores)")
    Integer threads;

    @Option(names = "-O0", description = "cpu: skip the graph optimization pipeline (only what makes shapes static)")
    boolean noOptimize;

    @Option(names = "--debug-dump", paramLabel = "DIR", description = "cpu: write the loop IR, LLVM IR and assembly to DIR")
    Path debugDump;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "cpu: the compile cache (default: ~/.cache/lathe/compiled)")
    Path cacheDir;

    @Option(names = "--no-cache", description = "cpu: compile without the compile cache (also with --debug-dump)")
    boolean noCache;

    @picocli.CommandLine.Mixin
    TuneOption tuneOption = new TuneOption();

    @Override
    public Integer call() throws IOException {
        if (!backend.equals("interp") && !backend.equals("cpu")) {
            throw new UserErrorException("unknown backend '" + backend + "'; available: interp, cpu");
        }
        Module module = ModelLoader.load(model);
        Interpreter interpreter = new Interpreter(module);
        if (!interpreter.functions().contains(function)) {
            throw new UserErrorException(model + " has no function '" + function + "'; it has " + interpreter.functions());
        }
        Signature signature = interpreter.signature(function);
        Map<String, RuntimeValue> values = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : inputs.entrySet()) {
            Type declared = signature.input(e.getKey()).map(Signature.Port::type).orElse(null);
            values.put(e.getKey(), readValue(e.getValue(), declared));
        }
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Map<String, RuntimeValue> outputs = backend.equals("cpu") ? runNative(module, signature, values, out)
                : interpreter.runValues(function, values);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (outputDir != null) {
            Files.createDirectories(outputDir);
        }
        for (Map.Entry<String, RuntimeValue> e : outputs.entrySet()) {
            if (e.getValue() instanceof RuntimeValue.TensorValue t) {
                out.println(e.getKey() + ": " + summary(t.value()));
                if (outputDir != null) {
                    TensorProtos.write(outputDir.resolve(fileName(e.getKey()) + ".pb"), e.getKey(), t.value());
                }
            } else {
                out.println(e.getKey() + ": " + e.getValue().describe()
                        + (outputDir != null ? " (not written: only tensors are written as .pb yet)" : ""));
            }
        }
        if (backend.equals("interp")) {
            out.println("ran " + signature.function() + " with the interpreter in " + millis + " ms");
        }
        out.flush();
        return 0;
    }

    /** Compiles for these inputs with the CPU backend, runs once, and reports both times. */
    private Map<String, RuntimeValue> runNative(Module module, Signature signature, Map<String, RuntimeValue> values,
            PrintWriter out) {
        List<RuntimeValue> inputs = new ArrayList<>();
        for (Signature.Port port : signature.inputs()) {
            RuntimeValue v = values.get(port.name());
            if (v == null) {
                throw new UserErrorException("missing --input " + port.name() + "=FILE; the inputs are " + signature.inputNames());
            }
            inputs.add(v); // sequences and optionals specialize the code to their lengths and presence
        }
        boolean tensorsOnly = signature.inputs().stream().allMatch(p -> p.type() instanceof TensorType)
                && signature.outputs().stream().allMatch(p -> p.type() instanceof TensorType);
        if (tensorsOnly && debugDump == null && !noCache) {
            return runThroughRuntime(module, signature, inputs, out);
        }
        tuneOption.rejectWith(!tensorsOnly ? "sequence or optional inputs" : debugDump != null ? "--debug-dump" : "--no-cache");
        CpuBackend.Options options = CpuBackend.Options.defaults().withOptimize(!noOptimize)
                .withDebugDump(debugDump == null ? null : new DebugDump(debugDump));
        if (threads != null) {
            if (threads < 1) {
                throw new UserErrorException("--threads must be at least 1, got " + threads);
            }
            options = options.withThreads(threads);
        }
        long t0 = System.nanoTime();
        try (CompiledCpuModel compiled = CpuBackend.compileValues(module, inputs, options)) {
            long t1 = System.nanoTime();
            List<RuntimeValue> results = compiled.runValues(inputs);
            long t2 = System.nanoTime();
            Map<String, RuntimeValue> outputs = new LinkedHashMap<>();
            for (int i = 0; i < results.size(); i++) {
                outputs.put(signature.outputs().get(i).name(), results.get(i));
            }
            out.printf("compiled %s for the cpu in %d ms, ran in %.3f ms (compile cache not used: %s)%n", signature.function(),
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1e6, !tensorsOnly ? "sequence or optional inputs or outputs"
                    : debugDump != null ? "--debug-dump" : "--no-cache");
            if (!compiled.frozenInputs().isEmpty()) {
                // Their values decide shapes or branches, so the code holds only for these values.
                out.println("specialized to the values of inputs " + compiled.frozenInputs().keySet().stream()
                        .map(i -> signature.inputs().get(i).name()).toList());
            }
            return outputs;
        }
    }

    /** Through the embedding API and its compile cache: reports whether the cache hit. */
    private Map<String, RuntimeValue> runThroughRuntime(Module module, Signature signature, List<RuntimeValue> inputs,
            PrintWriter out) {
        Map<String, Tensor> given = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            DenseElementsAttr v = ((RuntimeValue.TensorValue) inputs.get(i)).value();
            long[] shape = v.type().shape().stream().mapToLong(Long::longValue).toArray();
            given.put(signature.inputs().get(i).name(), Tensor.ofBytes(DType.fromName(v.elementType().text()), v.toBytes(), shape));
        }
        try (CompiledModel compiled = Lathe.compile(module, tuneOption.apply(RuntimeOptions.of(threads, noOptimize, cacheDir, false)))) {
            long t1 = System.nanoTime();
            Map<String, Tensor> results;
            try {
                results = compiled.run(given);
            } catch (IllegalArgumentException e) {
                // The embedding API's check of the given tensors against the signature: the user's input files.
                throw new UserErrorException(e.getMessage());
            }
            long t2 = System.nanoTime();
            for (CompileReport r : compiled.compileReports()) {
                out.printf("compiled %s for the cpu: %s; ran in %.3f ms%n", signature.function(), r.describe(), (t2 - t1) / 1e6);
            }
            Map<String, RuntimeValue> outputs = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : results.entrySet()) {
                Tensor t = e.getValue();
                List<Long> shape = java.util.Arrays.stream(t.shape()).boxed().toList();
                ScalarType et = ScalarType.fromText(t.dtype().irName()).orElseThrow();
                outputs.put(e.getKey(), RuntimeValue.of(DenseElementsAttr.fromBytes(TensorType.of(shape, et), t.toByteArray())));
            }
            return outputs;
        }
    }

    /** A .npy tensor, or a .pb TensorProto (SequenceProto / OptionalProto where the input is declared so). */
    private static RuntimeValue readValue(Path file, Type declared) throws IOException {
        if (!Files.exists(file)) {
            throw new UserErrorException("no such file: " + file);
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".npy")) {
            return RuntimeValue.of(Npy.read(file));
        }
        if (name.endsWith(".pb")) {
            return declared == null || declared instanceof TensorType
                    ? RuntimeValue.of(TensorProtos.read(file).value()) : ValueProtos.read(file, declared);
        }
        throw new UserErrorException(file + ": expected a .pb (ONNX TensorProto) or .npy file");
    }

    /** {@code tensor<2x3xf32> [0.1, 0.2, ...]}: the type and the first few values. */
    static String summary(DenseElementsAttr value) {
        StringBuilder sb = new StringBuilder(value.type().text()).append(" [");
        long n = Math.min(value.numElements(), SHOWN);
        for (long i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(value.elementType().isFloat() ? Float.toString((float) value.getDouble(i))
                    : Long.toString(value.getLong(i)));
        }
        if (value.numElements() > SHOWN) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }

    /** Output names may hold characters a file name cannot. */
    static String fileName(String outputName) {
        return outputName.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
