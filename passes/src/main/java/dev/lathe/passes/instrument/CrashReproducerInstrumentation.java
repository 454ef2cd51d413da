package dev.lathe.passes.instrument;

import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.passes.Pass;
import dev.lathe.passes.PassFailure;
import dev.lathe.passes.PassInstrumentation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a copy of the module before each pass (resource blobs are shared, not copied) and, when
 * a pass crashes or leaves invalid IR, writes {@code DIR/NAME.reproducer.lir}: a RUN line with
 * the failing pass and the rest of the pipeline, then that copy. Running the RUN line on the
 * file replays the failure without the passes before it.
 */
public final class CrashReproducerInstrumentation implements PassInstrumentation {

    private final Path dir;
    private final String name;
    private final boolean allowUnregistered;
    private Module snapshot;

    /** {@code name} null means: the input file's base name, or {@code lathe}. */
    public CrashReproducerInstrumentation(Path dir, String name, boolean allowUnregistered) {
        this.dir = dir;
        this.name = name;
        this.allowUnregistered = allowUnregistered;
    }

    @Override
    public void runBeforePass(Pass pass, Module module) {
        snapshot = module.copy();
    }

    @Override
    public void runAfterPassFailed(Pass pass, Module module, PassFailure failure) {
        if (snapshot == null || failure.kind() == PassFailure.Kind.FAILED) {
            return; // a reported failure is about the input, not a compiler bug to reproduce
        }
        Path file = dir.resolve(baseName(module) + ".reproducer.lir");
        String command = "lathe opt %s --pass-pipeline=" + shellQuote(failure.remainingPipeline())
                + (allowUnregistered ? " --allow-unregistered" : "");
        String what = failure.kind() == PassFailure.Kind.CRASHED
                ? "crashed with " + failure.rootException() : "produced invalid IR";
        String text = "// RUN: " + command + "\n"
                + "// Reproducer: pass '" + failure.pass().name() + "' " + oneLine(what) + "; the IR before it follows.\n"
                + IRPrinter.print(snapshot);
        try {
            Files.createDirectories(dir);
            Files.writeString(file, text);
            failure.setReproducer(file);
            failure.addNote("reproducer written to " + file + "; rerun with: " + command.replace("%s", file.toString()));
        } catch (IOException e) {
            failure.addNote("could not write the crash reproducer " + file + ": " + e.getMessage());
        }
        snapshot = null;
    }

    @Override
    public void runAfterPipeline(Module module, boolean succeeded) {
        snapshot = null;
    }

    private String baseName(Module module) {
        if (name != null) {
            return name;
        }
        if (module.location() instanceof Location.FileLineCol f) {
            String file = Path.of(f.file()).getFileName().toString();
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }
        return "lathe";
    }

    /** Quotes for a POSIX shell when the text has characters a shell would interpret. */
    static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9,._=+-]*") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }
}
