package dev.lathe.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe opt}: runs a pass pipeline on IR text, like mlir-opt. */
@Command(name = "opt", mixinStandardHelpOptions = true,
        description = {"Parses IR text, verifies it, runs a pass pipeline and prints the result.",
                "Errors are printed as FILE:LINE:COL: error: MESSAGE and the exit code is 1."})
public final class OptCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the .lir file to read; - reads standard input")
    String file;

    @CommandLine.Mixin
    PassOptions passOptions = new PassOptions();

    @Option(names = "--allow-unregistered", description = "accept ops no dialect defines")
    boolean allowUnregistered;

    @Option(names = "--print-locations", description = "print each op's loc(...)")
    boolean printLocations;

    @Option(names = "--split-input-file",
            description = "process each chunk between '// -----' lines as its own module")
    boolean splitInputFile;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the IR here instead of stdout")
    Path output;

    @Override
    public Integer call() throws IOException {
        String text = read();
        String fileName = file.equals("-") ? "<stdin>" : file;
        OptDriver.Options options = toOptions();
        List<String> chunks = splitInputFile ? OptDriver.splitInput(text) : List.of(text);
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        java.io.PrintWriter err = spec.commandLine().getErr();
        for (int i = 0; i < chunks.size(); i++) {
            OptDriver.Result r = OptDriver.run(chunks.get(i), fileName, options, System.err);
            err.print(r.errorText());
            err.flush();
            ok &= r.succeeded();
            if (i > 0) {
                out.append(OptDriver.SPLIT_MARKER).append('\n');
            }
            out.append(r.output());
        }
        if (output != null) {
            Files.writeString(output, out, StandardCharsets.UTF_8);
        } else {
            spec.commandLine().getOut().print(out);
            spec.commandLine().getOut().flush();
        }
        return ok ? 0 : LatheCommand.EXIT_INVALID_INPUT;
    }

    /**
     * The driver options that {@code lathe opt ARGS} would use, for the .lir test runner; throws
     * picocli's ParameterException on an unknown flag.
     */
    public static OptDriver.Options parseOptions(List<String> args) {
        OptCommand cmd = new OptCommand();
        List<String> withFile = new java.util.ArrayList<>(args);
        withFile.add(0, "-"); // FILE is required on the command line; the runner supplies the text
        new CommandLine(cmd).parseArgs(withFile.toArray(String[]::new));
        return cmd.toOptions();
    }

    private OptDriver.Options toOptions() {
        return passOptions.toOptions(allowUnregistered, printLocations);
    }

    private String read() throws IOException {
        if (file.equals("-")) {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserErrorException("no such file: " + file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserErrorException(file + " is not UTF-8 text");
        }
    }
}
