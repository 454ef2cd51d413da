package dev.lathe.cli;

import dev.lathe.cli.conformance.ConformanceCommand;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.interp.InterpreterException;
import dev.lathe.passes.PassFailureException;
import dev.lathe.passes.PassPipelineException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lathe} command: one subcommand per job. */
@Command(name = "lathe",
        mixinStandardHelpOptions = true,
        versionProvider = LatheCommand.Version.class,
        description = "Lathe, a compiler for machine-learning graphs.",
        subcommands = {OptCommand.class, ImportCommand.class, RunCommand.class, CompileCommand.class, ServeCommand.class,
                ConformanceCommand.class,
                CommandLine.HelpCommand.class})
public final class LatheCommand implements Runnable {

    /** Exit code for invalid input (bad IR, bad pipeline, failed verification). */
    public static final int EXIT_INVALID_INPUT = 1;
    /** Exit code for a bug in Lathe itself. */
    public static final int EXIT_INTERNAL_ERROR = 70;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LatheCommand());
        cl.setExecutionExceptionHandler(LatheCommand::handleException);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Invalid input is reported as located one-line diagnostics; anything else is a Lathe bug,
     * reported in one line unless {@code LATHE_DEBUG} asks for the stack trace.
     */
    private static int handleException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof InterpreterException || e instanceof PassFailureException
                || e instanceof dev.lathe.backend.cpu.ModelAssertionException) {
            err.println("lathe: " + e.getMessage());
            err.flush();
            return EXIT_INVALID_INPUT;
        }
        if (e instanceof DiagnosticException d) {
            err.println(d.getMessage());
            err.flush();
            return EXIT_INVALID_INPUT;
        }
        if (e instanceof UserErrorException || e instanceof PassPipelineException) {
            err.println("lathe: " + e.getMessage());
            err.flush();
            return EXIT_INVALID_INPUT;
        }
        err.println("lathe: internal error: " + e);
        if (System.getenv("LATHE_DEBUG") != null) {
            e.printStackTrace(err);
        } else {
            err.println("(set LATHE_DEBUG=1 for the stack trace, and please report it)");
        }
        err.flush();
        return EXIT_INTERNAL_ERROR;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = LatheCommand.class.getPackage().getImplementationVersion();
            return new String[] {"lathe " + (v == null ? "(development build)" : v)};
        }
    }
}
