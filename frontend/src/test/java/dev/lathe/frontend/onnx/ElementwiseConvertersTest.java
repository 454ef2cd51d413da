package dev.lathe.frontend.onnx;

import static dev.lathe.frontend.onnx.OnnxModels.f32;
import static dev.lathe.frontend.onnx.OnnxModels.floatAttr;
import static dev.lathe.frontend.onnx.OnnxModels.model;
import static dev.lathe.frontend.onnx.OnnxModels.node;
import static dev.lathe.frontend.onnx.OnnxModels.scalar;
import static dev.lathe.frontend.onnx.OnnxModels.tensor;
import static dev.lathe.frontend.onnx.OnnxModels.tensorAttr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.frontend.onnx.proto.AttributeProto.AttributeType;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.frontend.onnx.proto.TensorProto.DataType;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Opset differences of the elementwise converters (Clip, Cast, Dropout, activations). */
class ElementwiseConvertersTest {

    private static Module importGraph(int opset, GraphProto g) {
        return OnnxModels.importModel(model(opset, g));
    }

    private static List<Operation> body(Module m) {
        return FuncOps.body(m.lookupSymbol("main").orElseThrow()).operations();
    }

    private static List<String> ops(Module m) {
        return body(m).stream().map(Operation::name).toList();
    }

    private static Operation op(Module m, String name) {
        return body(m).stream().filter(o -> o.isA(name)).findFirst().orElseThrow();
    }

    private static GraphProto.Builder unary(String opType, AttributeProto... attrs) {
        return GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addNode(node(opType, List.of("x"), List.of("y"), attrs)).addOutput(f32("y"));
    }

    @Test
    void clipBoundsAreAttributesBeforeOpset11AndOptionalInputsAfter() {
        Module old = importGraph(6, unary("Clip", floatAttr("min", -1f), floatAttr("max", 1f)).build());
        assertEquals(List.of("nn.constant", "nn.constant", "nn.max", "nn.min", "func.return"), ops(old));
        GraphProto onlyMax = GraphProto.newBuilder().addInput(f32("x", 2, 3)).addInput(scalar("hi", DataType.FLOAT))
                .addNode(node("Clip", List.of("x", "", "hi"), List.of("y"))).addOutput(f32("y")).build();
        assertEquals(List.of("nn.min", "func.return"), ops(importGraph(13, onlyMax)));
    }

    @Test
    void castTakesATypeNameBeforeOpset6AndANumberAfter() {
        AttributeProto name = AttributeProto.newBuilder().setName("to").setType(AttributeType.STRING)
                .setS(ByteString.copyFromUtf8("INT32")).build();
        assertEquals(new TypeAttr(ScalarType.I32), op(importGraph(1, unary("Cast", name).build()), "nn.cast").attr("to"));
        AttributeProto number = OnnxModels.intAttr("to", DataType.FLOAT16.getNumber());
        assertEquals(new TypeAttr(ScalarType.F16), op(importGraph(13, unary("Cast", number).build()), "nn.cast").attr("to"));
        AttributeProto same = OnnxModels.intAttr("to", DataType.FLOAT.getNumber());
        assertEquals(List.of("func.return"), ops(importGraph(13, unary("Cast", same).build())), "a cast to its own type");
    }

    @Test
    void dropoutIsItsInputWithAConstantMask() {
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addNode(node("Dropout", List.of("x"), List.of("y", "mask"))).addOutput(f32("y"))
                .addOutput(tensor("mask", DataType.BOOL)).build();
        Module m = importGraph(13, g);
        assertEquals(List.of("nn.constant", "func.return"), ops(m));
        assertEquals("tensor<2x3xi1>", op(m, "nn.constant").result().type().text());
    }

    @Test
    void trainingDropoutWithTheDefaultRatioIsRejectedAsRandom() {
        TensorProto yes = TensorProto.newBuilder().setName("t").setDataType(DataType.BOOL.getNumber()).addInt32Data(1)
                .build();
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addNode(node("Constant", List.of(), List.of("training"), tensorAttr("value", yes)))
                .addNode(node("Dropout", List.of("x", "", "training"), List.of("y"))).addOutput(f32("y")).build();
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> importGraph(13, g));
        assertTrue(e.getMessage().contains("random"), e.getMessage());
    }

    @Test
    void activationAttributesAreCopiedAsF32OnlyWhenGiven() {
        Module given = importGraph(16, unary("LeakyRelu", floatAttr("alpha", 0.1f)).build());
        assertEquals(new FloatAttr(0.1f, ScalarType.F32), op(given, "nn.leaky_relu").attr("alpha"));
        Module absent = importGraph(16, unary("LeakyRelu").build());
        assertEquals(null, op(absent, "nn.leaky_relu").attr("alpha"), "the nn default is ONNX's");
    }
}
