package dev.lathe.frontend.onnx;

import static dev.lathe.frontend.onnx.OnnxModels.f32;
import static dev.lathe.frontend.onnx.OnnxModels.model;
import static dev.lathe.frontend.onnx.OnnxModels.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.ModelProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.frontend.onnx.proto.TensorShapeProto;
import dev.lathe.frontend.onnx.proto.TypeProto;
import dev.lathe.frontend.onnx.proto.ValueInfoProto;
import dev.lathe.ir.DiagnosticException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A corpus of broken models: truncated and random bytes, dangling inputs, cycles, values defined
 * twice, absurd dims, wrong attribute kinds. Each gets a clear, located error, never a stack trace.
 */
class MalformedModelTest {

    private static DiagnosticException importBytes(byte[] bytes) {
        try {
            OnnxImporter.importModel(bytes, "bad.onnx", null);
        } catch (DiagnosticException e) {
            return e;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("expected a DiagnosticException, got " + e, e);
        }
        return null;
    }

    private static String error(ModelProto m) {
        return assertThrows(DiagnosticException.class, () -> OnnxModels.importModel(m)).getMessage();
    }

    @Test
    void everyTruncationOfARealModelIsACleanError() throws Exception {
        byte[] whole = OnnxTestData.bytes("test_gemm_all_attributes");
        int saidTruncated = 0;
        for (int n = 0; n < whole.length; n++) {
            DiagnosticException e = importBytes(Arrays.copyOf(whole, n));
            if (e == null) {
                fail("the first " + n + " of " + whole.length + " bytes imported without error");
            }
            assertTrue(e.getMessage().startsWith("bad.onnx: error: "), e.getMessage());
            if (e.getMessage().contains("not a valid ONNX model (truncated or corrupt protobuf at byte")) {
                saidTruncated++;
            }
        }
        assertTrue(saidTruncated > whole.length * 9 / 10, saidTruncated + " of " + whole.length);
        DiagnosticException half = importBytes(Arrays.copyOf(whole, whole.length / 2));
        assertTrue(half.getMessage().startsWith("bad.onnx: error: not a valid ONNX model (truncated or corrupt protobuf"
                + " at byte "), half.getMessage());
    }

    @Test
    void randomBytesAreACleanError() {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[1 + random.nextInt(i < 250 ? 64 : 4096)];
            random.nextBytes(junk);
            if (importBytes(junk) == null) {
                fail("random bytes #" + i + " imported without error");
            }
        }
    }

    @Test
    void emptyFilesAndOtherProtobufsAreNotModels() throws Exception {
        assertEquals("bad.onnx: error: not a valid ONNX model (0 bytes that parse as protobuf but hold no graph;"
                + " truncated, or not an ONNX file?)", importBytes(new byte[0]).getMessage());
        byte[] tensorFile = java.nio.file.Files.readAllBytes(
                OnnxTestData.node("test_add").resolve("test_data_set_0").resolve("input_0.pb"));
        String message = importBytes(tensorFile).getMessage();
        assertTrue(message.startsWith("bad.onnx: error: not a valid ONNX model ("), message);
    }

    @Test
    void danglingInputsAndCyclesNameTheNode() {
        GraphProto dangling = GraphProto.newBuilder().addInput(f32("x", 2))
                .addNode(node("Add", List.of("x", "nope"), List.of("y"))).addOutput(f32("y")).build();
        assertEquals("m.onnx:add_node: error: input 'nope' is not defined: no graph input, initializer or earlier node"
                + " produces it", error(model(13, dangling)));

        GraphProto cycle = GraphProto.newBuilder().addInput(f32("x", 2))
                .addNode(node("Add", List.of("x", "b"), List.of("a")).toBuilder().setName("first"))
                .addNode(node("Relu", List.of("a"), List.of("b")).toBuilder().setName("second"))
                .addOutput(f32("b")).build();
        assertEquals("m.onnx:first: error: input 'b' is produced by node #1, which comes later; ONNX graphs must list"
                + " nodes in topological order (does the graph have a cycle?)", error(model(13, cycle)));

        GraphProto self = GraphProto.newBuilder().addInput(f32("x", 2))
                .addNode(node("Add", List.of("x", "a"), List.of("a"))).addOutput(f32("a")).build();
        assertTrue(error(model(13, self)).contains("input 'a' is produced by node #0 itself"));
    }

    @Test
    void valuesDefinedTwiceAndMissingOutputsAreErrors() {
        GraphProto twice = GraphProto.newBuilder().addInput(f32("x", 2))
                .addNode(node("Relu", List.of("x"), List.of("y")))
                .addNode(node("Relu", List.of("x"), List.of("y")).toBuilder().setName("again"))
                .addOutput(f32("y")).build();
        assertEquals("m.onnx:again: error: value 'y' is defined twice (a graph input, initializer or earlier node"
                + " already defines it)", error(model(13, twice)));

        GraphProto noOutput = GraphProto.newBuilder().addInput(f32("x", 2))
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(f32("z")).build();
        assertEquals("m.onnx: error: graph output 'z' is not produced by any node, graph input or initializer",
                error(model(13, noOutput)));

        GraphProto inputTwice = GraphProto.newBuilder().addInput(f32("x", 2)).addInput(f32("x", 2))
                .addOutput(f32("x")).build();
        assertEquals("m.onnx: error: graph input 'x' is listed twice", error(model(13, inputTwice)));

        GraphProto noOpType = GraphProto.newBuilder().addInput(f32("x", 2))
                .addNode(node("", List.of("x"), List.of("y")).toBuilder().setName("n")).addOutput(f32("y")).build();
        assertEquals("m.onnx:n: error: node #0 has no op_type", error(model(13, noOpType)));
    }

    @Test
    void absurdDimsAreErrors() {
        ValueInfoProto negative = ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(-5))))).build();
        GraphProto g = GraphProto.newBuilder().addInput(negative)
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(f32("y")).build();
        assertEquals("m.onnx: error: graph input 'x' has dimension -5; sizes must be >= 0", error(model(13, g)));

        TensorProto huge = TensorProto.newBuilder().setName("w").setDataType(1).addDims(1L << 40).addDims(1L << 40).build();
        GraphProto h = GraphProto.newBuilder().addInput(f32("x", 1)).addInitializer(huge)
                .addNode(node("Add", List.of("x", "w"), List.of("y"))).addOutput(f32("y")).build();
        assertEquals("m.onnx: error: initializer 'w' of type tensor<1099511627776x1099511627776xf32> is larger than"
                + " 2 GiB, which Lathe cannot hold", error(model(13, h)));

        TensorProto negativeDims = OnnxModels.floats("w", new long[] {-3}, 1f);
        GraphProto n = GraphProto.newBuilder().addInput(f32("x", 1)).addInitializer(negativeDims)
                .addNode(node("Add", List.of("x", "w"), List.of("y"))).addOutput(f32("y")).build();
        assertEquals("m.onnx: error: initializer 'w' has dimension -3 in [-3]; sizes must be >= 0", error(model(13, n)));
    }

    @Test
    void attributesOfTheWrongKindAreErrors() {
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addNode(node("Transpose", List.of("x"), List.of("y"), OnnxModels.floatAttr("perm", 1f)))
                .addOutput(f32("y")).build();
        assertEquals("m.onnx:transpose_node: error: Transpose: attribute 'perm' must be INTS, found FLOAT",
                error(model(13, g)));
    }

    @Test
    void shapeErrorsFromTheNnOpsNameTheNode() {
        GraphProto g = GraphProto.newBuilder().addInput(f32("a", 2, 3)).addInput(f32("b", 4))
                .addNode(node("Add", List.of("a", "b"), List.of("y"))).addOutput(f32("y")).build();
        String message = error(model(13, g));
        assertTrue(message.startsWith("m.onnx:add_node: error: Add: "), message);
        assertTrue(message.contains("do not broadcast"), message);
        assertTrue(message.endsWith("(as 'nn.add' on (tensor<2x3xf32>, tensor<4xf32>))"), message);
    }

    @Test
    void declaredOutputTypesMustMatchWhatTheGraphComputes() {
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(f32("y", 3, 2)).build();
        assertEquals("m.onnx: error: graph output 'y' is declared as tensor<3x2xf32> but the graph computes"
                + " tensor<2x3xf32>", error(model(13, g)));
    }
}
