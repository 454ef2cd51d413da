package dev.lathe.cli;

import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.ExternalResources;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.passes.PassPipeline;
import dev.lathe.passes.transforms.InputShapes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe import MODEL.onnx [-o OUT.lir]}: the imported IR, weights as resources. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports an ONNX model and prints its IR (weights in the trailing resource section).",
                "With -o OUT.lir, weights of 64 KiB or more go to OUT.weights beside it (see docs/ir.md)."})
public final class ImportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the .onnx file")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the IR here instead of stdout")
    Path output;

    @Option(names = "--print-locations", description = "print each op's loc(...): the ONNX node it came from")
    boolean printLocations;

    @Option(names = "--inline-weights", description = "keep every weight in the .lir text, even large ones")
    boolean inlineWeights;

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
            description = "fix an input's shape, e.g. input_ids=1x128 (then e.g. --pass-pipeline=infer-shapes,...)")
    Map<String, String> inputShapes = new LinkedHashMap<>();

    @CommandLine.Mixin
    PassOptions passOptions = new PassOptions();

    /** Blobs from this size on go to the side file, so the text stays readable. */
    static final long SIDE_FILE_MIN_BYTES = 64 * 1024;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(model)) {
            throw new UserErrorException("no such file: " + model);
        }
        Module module = OnnxImporter.importModel(model);
        if (!inputShapes.isEmpty()) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : inputShapes.entrySet()) {
                try {
                    shapes.put(e.getKey(), InputShapes.parseDims(e.getValue()));
                } catch (NumberFormatException bad) {
                    throw new UserErrorException("--input-shape " + e.getKey() + "=" + e.getValue()
                            + ": expected dimensions like 1x128");
                }
            }
            InputShapes.specialize(module, OnnxImporter.FUNCTION_NAME, shapes);
        }
        OptDriver.Options options = passOptions.toOptions(false, printLocations);
        OptDriver.passManager(PassPipeline.parse(options.pipeline()), options, System.err).run(module);
        if (output != null) {
            if (inlineWeights) {
                Files.writeString(output, IRPrinter.print(module, new IRPrinter.Options(printLocations)));
                return 0;
            }
            Path weights = sideFile(output);
            int placed;
            try (ExternalResources side = new ExternalResources(weights, SIDE_FILE_MIN_BYTES)) {
                Files.writeString(output, IRPrinter.print(module, new IRPrinter.Options(printLocations, side)));
                placed = side.placed();
            }
            if (placed == 0) {
                Files.delete(weights); // nothing was large enough to go there
            }
        } else {
            String text = IRPrinter.print(module, new IRPrinter.Options(printLocations));
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /** {@code model.lir} keeps its large weights in {@code model.weights} beside it. */
    static Path sideFile(Path output) {
        String name = output.getFileName().toString();
        String base = name.endsWith(".lir") ? name.substring(0, name.length() - 4) : name;
        return output.resolveSibling(base + ".weights");
    }
}
