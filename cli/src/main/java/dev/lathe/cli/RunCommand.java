package dev.lathe.cli;

import dev.lathe.frontend.onnx.Npy;
import dev.lathe.frontend.onnx.TensorProtos;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.interp.Signature;
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
        Map<String, DenseElementsAttr> values = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : inputs.entrySet()) {
            values.put(e.getKey(), readTensor(e.getValue()));
        }
        long start = System.nanoTime();
        Map<String, DenseElementsAttr> outputs = interpreter.run(function, values);
        long millis = (System.nanoTime() - start) / 1_000_000;
        PrintWriter out = spec.commandLine().getOut();
        if (outputDir != null) {
            Files.createDirectories(outputDir);
        }
        for (Map.Entry<String, DenseElementsAttr> e : outputs.entrySet()) {
            out.println(e.getKey() + ": " + summary(e.getValue()));
            if (outputDir != null) {
                TensorProtos.write(outputDir.resolve(fileName(e.getKey()) + ".pb"), e.getKey(), e.getValue());
            }
        }
        out.println("ran " + signature.function() + " with the interpreter in " + millis + " ms");
        out.flush();
        return 0;
    }

    private static DenseElementsAttr readTensor(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new UserErrorException("no such file: " + file);
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".npy")) {
            return Npy.read(file);
        }
        if (name.endsWith(".pb")) {
            return TensorProtos.read(file).value();
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
