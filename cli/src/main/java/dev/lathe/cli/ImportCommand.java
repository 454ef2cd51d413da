package dev.lathe.cli;

import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe import MODEL.onnx [-o OUT.lir]}: the imported IR, weights as resources. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Imports an ONNX model and prints its IR (weights in the trailing resource section).")
public final class ImportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "the .onnx file")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the IR here instead of stdout")
    Path output;

    @Option(names = "--print-locations", description = "print each op's loc(...): the ONNX node it came from")
    boolean printLocations;

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(model)) {
            throw new UserErrorException("no such file: " + model);
        }
        Module module = OnnxImporter.importModel(model);
        String text = IRPrinter.print(module, new IRPrinter.Options(printLocations));
        if (output != null) {
            Files.writeString(output, text);
        } else {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
