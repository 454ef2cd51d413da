package dev.lathe.frontend.onnx;

import static dev.lathe.frontend.onnx.OnnxModels.f32;
import static dev.lathe.frontend.onnx.OnnxModels.model;
import static dev.lathe.frontend.onnx.OnnxModels.node;
import static dev.lathe.frontend.onnx.OnnxModels.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.frontend.onnx.proto.AttributeProto.AttributeType;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.ModelProto;
import dev.lathe.frontend.onnx.proto.NodeProto;
import dev.lathe.frontend.onnx.proto.OperatorSetIdProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.frontend.onnx.proto.TensorProto.DataType;
import dev.lathe.frontend.onnx.proto.TypeProto;
import dev.lathe.frontend.onnx.proto.ValueInfoProto;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.nn.ReshapeOp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Lathe cannot import yet gets one error naming op, domain, opset, node and input types, and what is supported. */
class UnsupportedInputTest {

    private static final String SUPPORTED = String.join(", ", OnnxOpRegistry.builtin().opTypes());

    private static String error(ModelProto m) {
        return assertThrows(DiagnosticException.class, () -> OnnxModels.importModel(m)).getMessage();
    }

    @Test
    void unsupportedOpOfARealModelNamesEverything() {
        Path model = OnnxTestData.model("test_bernoulli");
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> OnnxImporter.importModel(model));
        assertEquals(1, e.diagnostics().size());
        assertEquals(model + ":Bernoulli#0: error: unsupported op 'Bernoulli' (domain 'ai.onnx', opset 15) with inputs"
                + " (tensor<10xf64>); supported ops: " + SUPPORTED, e.getMessage());
    }

    @Test
    void absentOptionalInputsShowAsNoneAndOtherUnsupportedOpsAreListed() {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addInput(f32("x", 2, 3))
                .addNode(node("FooBar", List.of("x", ""), List.of("y")))
                .addNode(node("Relu", List.of("y"), List.of("z")))
                .addNode(node("Quux", List.of("z"), List.of("w")))
                .addOutput(f32("w"))
                .build();
        assertEquals("m.onnx:foobar_node: error: unsupported op 'FooBar' (domain 'ai.onnx', opset 13) with inputs"
                + " (tensor<2x3xf32>, none); supported ops: " + SUPPORTED + "; the model also uses unsupported ops 'Quux'",
                error(model(13, g)));
    }

    @Test
    void opsOfOtherDomainsAreUnsupported() {
        NodeProto fused = node("FusedMatMul", List.of("x", "x"), List.of("y")).toBuilder()
                .setDomain("com.microsoft").build();
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 2, 2)).addNode(fused).addOutput(f32("y")).build();
        ModelProto m = model(13, g).toBuilder()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1)).build();
        assertEquals("m.onnx:fusedmatmul_node: error: unsupported op 'FusedMatMul' (domain 'com.microsoft', opset 1)"
                + " with inputs (tensor<2x2xf32>, tensor<2x2xf32>); Lathe converts only ops of the default domain"
                + " 'ai.onnx': " + SUPPORTED, error(m));
    }

    @Test
    void unsupportedElementTypesNameTheValue() {
        GraphProto input = GraphProto.newBuilder().addInput(tensor("x", DataType.COMPLEX64, 2))
                .addNode(node("Identity", List.of("x"), List.of("y"))).addOutput(tensor("y", DataType.COMPLEX64, 2)).build();
        assertTrue(error(model(13, input)).startsWith("m.onnx: error: graph input 'x' has unsupported element type"
                + " COMPLEX64; supported: FLOAT (f32), UINT8 (u8), INT8 (i8), UINT16 (u16), INT16 (i16), INT32 (i32),"
                + " INT64 (i64), BOOL (i1), FLOAT16 (f16), DOUBLE (f64), UINT32 (u32), UINT64 (u64), BFLOAT16 (bf16)"),
                error(model(13, input)));

        TensorProto strings = TensorProto.newBuilder().setName("s").setDataType(DataType.STRING_VALUE).addDims(1)
                .addStringData(com.google.protobuf.ByteString.copyFromUtf8("hi")).build();
        GraphProto init = GraphProto.newBuilder().addInitializer(strings)
                .addNode(node("Identity", List.of("s"), List.of("y"))).addOutput(f32("y")).build();
        assertTrue(error(model(13, init)).startsWith("m.onnx: error: initializer 's' has unsupported element type STRING"));

        GraphProto f8 = GraphProto.newBuilder().addInput(tensor("x", DataType.FLOAT8E4M3FN, 2))
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(f32("y")).build();
        assertTrue(error(model(19, f8)).contains("graph input 'x' has unsupported element type FLOAT8E4M3FN"));
    }

    @Test
    void inputsOfUnknownRankOrNonTensorTypeAreRejected() {
        ValueInfoProto noShape = ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT_VALUE))).build();
        GraphProto g = GraphProto.newBuilder().addInput(noShape)
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(f32("y")).build();
        assertTrue(error(model(13, g)).startsWith("m.onnx: error: graph input 'x' has unknown rank (no shape)"));

        ValueInfoProto map = ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder()
                .setMapType(TypeProto.Map.newBuilder().setKeyType(DataType.INT64_VALUE)
                        .setValueType(f32("e", 1).getType()))).build();
        GraphProto m = GraphProto.newBuilder().addInput(map)
                .addNode(node("Identity", List.of("x"), List.of("y"))).addOutput(f32("y")).build();
        assertEquals("m.onnx: error: graph input 'x' has map type; only tensors are supported", error(model(13, m)));
    }

    @Test
    void stringConstantsAreAnUnsupportedForm() {
        AttributeProto str = AttributeProto.newBuilder().setName("value_string").setType(AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8("hello")).build();
        GraphProto g = GraphProto.newBuilder().addNode(node("Constant", List.of(), List.of("c"), str))
                .addOutput(f32("c")).build();
        assertEquals("m.onnx:constant_node: error: unsupported form of op 'Constant' (domain 'ai.onnx', opset 13) with"
                + " inputs (): string constants ('value_string'): Lathe has no string element type", error(model(13, g)));
    }

    @Test
    void aReshapeTargetKnownOnlyAtRunTimeNeedsTheDynamicForm() {
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 2, 3)).addInput(tensor("s", DataType.INT64, 2))
                .addNode(node("Reshape", List.of("x", "s"), List.of("y"))).addOutput(f32("y")).build();
        boolean nnHasDynamicReshape = DialectRegistry.global().lookup(ReshapeOp.NAME).orElseThrow().schema().maxOperands() != 1;
        if (nnHasDynamicReshape) {
            OnnxModels.importModel(model(13, g));
        } else {
            assertEquals("m.onnx:reshape_node: error: unsupported form of op 'Reshape' (domain 'ai.onnx', opset 13)"
                    + " with inputs (tensor<2x3xf32>, tensor<2xi64>): the target shape is computed at run time,"
                    + " and nn.reshape has no form with a shape operand yet", error(model(13, g)));
        }
    }

    @Test
    void irVersionsAndOpsetsOutsideTheSupportedRangesAreRejected() {
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 2))
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(f32("y")).build();
        assertEquals("m.onnx: error: default-domain opset 22 is not supported; Lathe supports opsets 7 to 21"
                + " (and converts older ones where it knows the op's old form)", error(model(22, g)));
        assertEquals("m.onnx: error: ONNX IR version 2 is not supported; Lathe reads IR versions 3 to 10 (convert"
                + " the model with a newer ONNX release)", error(model(13, g).toBuilder().setIrVersion(2).build()));
        assertEquals("m.onnx: error: ONNX IR version 11 is not supported; Lathe reads IR versions 3 to 10",
                error(model(13, g).toBuilder().setIrVersion(11).build()));
        assertEquals("m.onnx: error: the model imports no version of the default operator set (ai.onnx), so its ops"
                + " have no defined meaning", error(model(13, g).toBuilder().clearOpsetImport().build()));
    }
}
