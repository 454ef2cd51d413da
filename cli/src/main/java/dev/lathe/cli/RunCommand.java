package dev.lathe.cli;

import dev.lathe.frontend.onnx.Npy;
import dev.lathe.frontend.onnx.TensorProtos;
import dev.lathe.frontend.onnx.ValueProtos;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    @Option(names = "--backend", defaultValue = "interp", description = "where to run: interp (the only one yet)")
    String backend;

    @Override
    public Integer call() throws IOException {
        if (!backend.equals("interp")) {
            throw new UserErrorException("unknown backend '" + backend + "'; available: interp");
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
        long start = System.nanoTime();
        Map<String, RuntimeValue> outputs = interpreter.runValues(function, values);
        long millis = (System.nanoTime() - start) / 1_000_000;
        PrintWriter out = spec.commandLine().getOut();
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
        out.println("ran " + signature.function() + " with the interpreter in " + millis + " ms");
        out.flush();
        return 0;
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
