package dev.lathe.frontend.onnx;

import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;

/**
 * Errors of the ONNX frontend. Each is a {@link DiagnosticException} with one diagnostic located
 * at {@code MODEL} or {@code MODEL:NODE}, so it prints as {@code model.onnx:node: error: ...}.
 */
final class OnnxDiagnostics {

    private OnnxDiagnostics() {}

    static DiagnosticException error(String where, String message) {
        return new DiagnosticException(Diagnostic.error(Location.name(where), message));
    }

    /** {@code MODEL:NODE}, the place of a node in messages. */
    static String at(String model, String node) {
        return model + ":" + node;
    }
}
