package dev.lathe.frontend.onnx;

import static dev.lathe.frontend.onnx.OnnxModels.f32;
import static dev.lathe.frontend.onnx.OnnxModels.model;
import static dev.lathe.frontend.onnx.OnnxModels.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.ModelProto;
import dev.lathe.frontend.onnx.proto.StringStringEntryProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.Verifier;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.NnConstants;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights in external data files next to the model, and the paths that must not be followed. */
class ExternalDataTest {

    /** 20 floats 0..19 after 8 bytes of padding, as a weights file. */
    private static byte[] weightsFile() {
        ByteBuffer b = ByteBuffer.allocate(8 + 80).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(-1L);
        for (int i = 0; i < 20; i++) {
            b.putFloat(i * 0.5f);
        }
        return b.array();
    }

    private static TensorProto external(String location, long offset, long length) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("w").setDataType(1).addDims(4).addDims(5)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)));
        if (length >= 0) {
            t.addExternalData(entry("length", Long.toString(length)));
        }
        return t.build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static ModelProto matmulWith(TensorProto w) {
        return model(13, GraphProto.newBuilder().setName("g").addInput(f32("x", 3, 4)).addInitializer(w)
                .addNode(node("MatMul", List.of("x", "w"), List.of("y"))).addOutput(f32("y", 3, 5)).build());
    }

    private static Path write(Path dir, ModelProto m) throws Exception {
        Path file = dir.resolve("model.onnx");
        Files.write(file, m.toByteArray());
        return file;
    }

    @Test
    void readsInitializersFromExternalFilesIntoResources(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("weights.bin"), weightsFile());
        Module m = OnnxImporter.importModel(write(dir, matmulWith(external("weights.bin", 8, 80))));
        assertTrue(Verifier.verify(m, false).isEmpty());
        Operation constant = FuncOps.body(m.lookupSymbol("main").orElseThrow()).first();
        DenseResourceAttr attr = (DenseResourceAttr) constant.attr("value");
        assertEquals("w", attr.name());
        ResourceBlob blob = m.resource("w");
        assertEquals(64, blob.alignment());
        assertArrayEquals(java.util.Arrays.copyOfRange(weightsFile(), 8, 88), blob.data());
        assertEquals(9.5, NnConstants.valueOf(constant, m).getDouble(19));
    }

    @Test
    void lengthMayBeLeftOutAndSubdirectoriesAreFine(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/w.bin"), weightsFile());
        Module m = OnnxImporter.importModel(write(dir, matmulWith(external("data/w.bin", 8, -1))));
        assertEquals(80, m.resource("w").size());
    }

    @Test
    void tensorProtoFilesFindExternalDataBesideThem(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("weights.bin"), weightsFile());
        Files.write(dir.resolve("w.pb"), external("weights.bin", 8, 80).toByteArray());
        NamedTensor t = TensorProtos.read(dir.resolve("w.pb"));
        assertEquals(0.5, t.value().getDouble(1));
    }

    @Test
    void pathsOutsideTheModelsDirectoryAreRefused(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("model"));
        Files.write(root.resolve("secret.bin"), weightsFile());
        assertRefused(dir, "../secret.bin", "outside the model's directory");
        assertRefused(dir, root.resolve("secret.bin").toString(), "outside the model's directory");
        assertRefused(dir, "sub/../../secret.bin", "outside the model's directory");
        Files.createSymbolicLink(dir.resolve("link.bin"), root.resolve("secret.bin"));
        assertRefused(dir, "link.bin", "links outside the model's directory");
    }

    private static void assertRefused(Path dir, String location, String expected) throws Exception {
        Path file = write(dir, matmulWith(external(location, 8, 80)));
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> OnnxImporter.importModel(file), location);
        assertTrue(e.getMessage().startsWith(file + ": error: initializer 'w' has external data location '" + location + "'"),
                e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void missingShortOrMismatchedFilesAreClearErrors(@TempDir Path dir) throws Exception {
        Path missing = write(dir, matmulWith(external("nope.bin", 0, 80)));
        assertTrue(assertThrows(DiagnosticException.class, () -> OnnxImporter.importModel(missing)).getMessage()
                .contains("initializer 'w' is stored in external data file 'nope.bin', which does not exist"));

        Files.write(dir.resolve("weights.bin"), weightsFile());
        Path beyond = write(dir, matmulWith(external("weights.bin", 40, 80)));
        assertTrue(assertThrows(DiagnosticException.class, () -> OnnxImporter.importModel(beyond)).getMessage()
                .contains("needs bytes 40..120 of 'weights.bin', which has only 88 bytes"));

        Path wrongLength = write(dir, matmulWith(external("weights.bin", 0, 12)));
        assertTrue(assertThrows(DiagnosticException.class, () -> OnnxImporter.importModel(wrongLength)).getMessage()
                .contains("has external data of length 12 but tensor<4x5xf32> needs 80"));

        byte[] bytes = matmulWith(external("weights.bin", 8, 80)).toByteArray();
        assertTrue(assertThrows(DiagnosticException.class, () -> OnnxImporter.importModel(bytes, "mem.onnx", null))
                .getMessage().contains("the model was not read from a file"));
    }
}
