package dev.lathe.cli;

import dev.lathe.frontend.IRParser;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.ir.Module;
import dev.lathe.ir.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a model the way every subcommand does: {@code .onnx} through the importer, anything else as IR text. */
final class ModelLoader {

    private ModelLoader() {}

    static Module load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new UserErrorException("no such file: " + file);
        }
        try {
            if (file.getFileName().toString().endsWith(".onnx")) {
                return OnnxImporter.importModel(file);
            }
            Module module = IRParser.parse(Files.readString(file), file.toString());
            Verifier.verifyOrThrow(module, false);
            return module;
        } catch (NoSuchFileException e) {
            throw new UserErrorException("no such file: " + e.getFile());
        }
    }
}
