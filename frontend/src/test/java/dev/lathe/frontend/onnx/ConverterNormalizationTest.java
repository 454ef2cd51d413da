package dev.lathe.frontend.onnx;

import static dev.lathe.frontend.onnx.OnnxModels.f32;
import static dev.lathe.frontend.onnx.OnnxModels.floatAttr;
import static dev.lathe.frontend.onnx.OnnxModels.intAttr;
import static dev.lathe.frontend.onnx.OnnxModels.intsAttr;
import static dev.lathe.frontend.onnx.OnnxModels.model;
import static dev.lathe.frontend.onnx.OnnxModels.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.TensorProto.DataType;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each ONNX op becomes one nn form whatever its opset, with only the ops its attributes call for. */
class ConverterNormalizationTest {

    private static Module importGraph(int opset, GraphProto g) {
        return OnnxModels.importModel(model(opset, g));
    }

    private static Operation main(Module m) {
        return m.lookupSymbol("main").orElseThrow();
    }

    /** The names of the ops in main's body, constants and return included. */
    private static List<String> ops(Module m) {
        return FuncOps.body(main(m)).operations().stream().map(Operation::name).toList();
    }

    private static Operation op(Module m, String name) {
        return FuncOps.body(main(m)).operations().stream().filter(o -> o.isA(name)).findFirst().orElseThrow();
    }

    private static GraphProto gemm(long[] c, AttributeProto... attrs) {
        GraphProto.Builder g = GraphProto.newBuilder().addInput(f32("a", 2, 3)).addInput(f32("b", 3, 4));
        List<String> inputs = List.of("a", "b");
        if (c != null) {
            g.addInput(f32("c", (Object[]) java.util.Arrays.stream(c).boxed().toArray(Long[]::new)));
            inputs = List.of("a", "b", "c");
        }
        return g.addNode(node("Gemm", inputs, List.of("y"), attrs)).addOutput(f32("y")).build();
    }

    @Test
    void gemmEmitsOnlyWhatItsAttributesNeed() {
        assertEquals(List.of("nn.matmul", "nn.add", "func.return"), ops(importGraph(13, gemm(new long[] {4}))));
        assertEquals(List.of("nn.matmul", "func.return"), ops(importGraph(13, gemm(null))));
        assertEquals(List.of("nn.matmul", "func.return"),
                ops(importGraph(13, gemm(new long[] {4}, floatAttr("beta", 0f)))), "beta = 0 ignores C");
        assertEquals(List.of("nn.constant", "nn.constant", "nn.matmul", "nn.mul", "nn.mul", "nn.add", "func.return"),
                ops(importGraph(13, gemm(new long[] {2, 4}, floatAttr("alpha", 2f), floatAttr("beta", 3f)))));

        GraphProto transposed = GraphProto.newBuilder().addInput(f32("a", 3, 2)).addInput(f32("b", 4, 3))
                .addNode(node("Gemm", List.of("a", "b"), List.of("y"), intAttr("transA", 1), intAttr("transB", 1)))
                .addOutput(f32("y", 2, 4)).build();
        Module m = importGraph(13, transposed);
        assertEquals(List.of("nn.transpose", "nn.transpose", "nn.matmul", "func.return"), ops(m));
        assertEquals(ArrayAttr.ofLongs(1, 0), op(m, "nn.transpose").attr("perm"));
    }

    @Test
    void gemmRejectsABiasThatWouldGrowTheResult() {
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> importGraph(13, gemm(new long[] {3, 2, 4})));
        assertTrue(e.getMessage().contains("Gemm: C tensor<3x2x4xf32> does not broadcast to the product's shape"
                + " tensor<2x4xf32>"), e.getMessage());
    }

    private static GraphProto reshape(Object[] inputDims, long[] shape, AttributeProto... attrs) {
        return GraphProto.newBuilder().addInput(f32("x", inputDims))
                .addInitializer(OnnxModels.longs("shape", new long[] {shape.length}, shape))
                .addNode(node("Reshape", List.of("x", "shape"), List.of("y"), attrs)).addOutput(f32("y")).build();
    }

    @Test
    void reshapeResolvesZeroAndMinusOneAgainstTheInput() {
        Module copied = importGraph(14, reshape(new Object[] {2, 3, 4}, new long[] {0, -1}));
        assertEquals(ArrayAttr.ofLongs(2, -1), op(copied, "nn.reshape").attr("shape"));
        assertEquals(TensorType.of(ScalarType.F32, 2, 12), op(copied, "nn.reshape").result().type());

        Module dynamic = importGraph(14, reshape(new Object[] {"N", 3, 4}, new long[] {0, 12}));
        assertEquals(ArrayAttr.ofLongs(-1, 12), op(dynamic, "nn.reshape").attr("shape"),
                "a copied dynamic dim becomes the inferred one");
        assertEquals("tensor<?x12xf32>", op(dynamic, "nn.reshape").result().type().text());

        Module literalZero = importGraph(14, reshape(new Object[] {0, 3, 4}, new long[] {3, 0}, intAttr("allowzero", 1)));
        assertEquals(ArrayAttr.ofLongs(3, 0), op(literalZero, "nn.reshape").attr("shape"));

        GraphProto opset4 = GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addNode(node("Reshape", List.of("x"), List.of("y"), intsAttr("shape", 0, 3, 1)))
                .addOutput(f32("y")).build();
        assertEquals(ArrayAttr.ofLongs(2, 3, 1), op(importGraph(4, opset4), "nn.reshape").attr("shape"),
                "opsets before 5 give the shape as an attribute");
    }

    @Test
    void reshapeRejectsTargetsOnnxForbids() {
        DiagnosticException twoMinusOnes = assertThrows(DiagnosticException.class,
                () -> importGraph(14, reshape(new Object[] {2, 3}, new long[] {-1, -1})));
        assertTrue(twoMinusOnes.getMessage().contains("Reshape: shape [-1, -1] has more than one -1"));
        DiagnosticException zeroAndMinusOne = assertThrows(DiagnosticException.class,
                () -> importGraph(14, reshape(new Object[] {2, 3}, new long[] {0, -1}, intAttr("allowzero", 1))));
        assertTrue(zeroAndMinusOne.getMessage().contains("has both 0 and -1, which allowzero = 1 forbids"));
        DiagnosticException outOfRank = assertThrows(DiagnosticException.class,
                () -> importGraph(14, reshape(new Object[] {6}, new long[] {2, 0})));
        assertTrue(outOfRank.getMessage().contains("copies dim 1 (entry 0) but the input tensor<6xf32> has rank 1"));
    }

    @Test
    void frozenInputsGiveReshapeItsTargetAndLeaveTheSignature() {
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 2, 3)).addInput(OnnxModels.tensor("s", DataType.INT64, 1))
                .addNode(node("Reshape", List.of("x", "s"), List.of("y"))).addOutput(f32("y")).build();
        DenseElementsAttr target = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, 1), -1);
        Module m = OnnxImporter.importModel(model(13, g).toByteArray(), "m.onnx", null,
                ImportOptions.defaults().withInputValues(Map.of("s", target, "x", DenseElementsAttr.splat(
                        TensorType.of(ScalarType.F32, 2, 3), 1.0))));
        assertEquals("(tensor<2x3xf32>) -> tensor<6xf32>", FuncOps.type(main(m)).text(), "x is not needed, so not frozen");
        assertEquals("[\"s\"]", main(m).attr("onnx.frozen_inputs").text());
        assertEquals(List.of("nn.reshape", "func.return"), ops(m), "the frozen value's constant was not needed either");
    }

    @Test
    void reduceSumTakesItsAxesFromAttributeOrInput() {
        GraphProto attr = GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addNode(node("ReduceSum", List.of("x"), List.of("y"), intsAttr("axes", 1), intAttr("keepdims", 0)))
                .addOutput(f32("y")).build();
        Operation r11 = op(importGraph(11, attr), "nn.reduce_sum");
        assertEquals("{axes = [1], keepdims = false}", attrText(r11));

        GraphProto input = GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addInitializer(OnnxModels.longs("axes", new long[] {1}, -1))
                .addNode(node("ReduceSum", List.of("x", "axes"), List.of("y"))).addOutput(f32("y")).build();
        assertEquals("{axes = [-1], keepdims = true}", attrText(op(importGraph(13, input), "nn.reduce_sum")));

        GraphProto all = GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addNode(node("ReduceSum", List.of("x"), List.of("y"))).addOutput(f32("y")).build();
        assertEquals("{keepdims = true}", attrText(op(importGraph(13, all), "nn.reduce_sum")));

        GraphProto noop = GraphProto.newBuilder().addInput(f32("x", 2, 3))
                .addNode(node("ReduceSum", List.of("x"), List.of("y"), intAttr("noop_with_empty_axes", 1)))
                .addOutput(f32("y")).build();
        Module identity = importGraph(13, noop);
        assertEquals(List.of("func.return"), ops(identity));
        assertSame(FuncOps.body(main(identity)).argument(0), FuncOps.body(main(identity)).last().operand(0));
    }

    private static String attrText(Operation op) {
        StringBuilder sb = new StringBuilder("{");
        op.attributes().forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(" = ").append(v.text()));
        return sb.append('}').toString();
    }

    @Test
    void oldBroadcastAttributeMeansNumpyBroadcastingOrAReshapeFirst() {
        GraphProto trailing = GraphProto.newBuilder().addInput(f32("a", 2, 3, 4)).addInput(f32("b", 3, 4))
                .addNode(node("Add", List.of("a", "b"), List.of("y"), intAttr("broadcast", 1))).addOutput(f32("y")).build();
        assertEquals(List.of("nn.add", "func.return"), ops(importGraph(6, trailing)));

        GraphProto inner = GraphProto.newBuilder().addInput(f32("a", 2, 3, 4)).addInput(f32("b", 3))
                .addNode(node("Mul", List.of("a", "b"), List.of("y"), intAttr("broadcast", 1), intAttr("axis", 1)))
                .addOutput(f32("y")).build();
        Module m = importGraph(6, inner);
        assertEquals(List.of("nn.reshape", "nn.mul", "func.return"), ops(m));
        assertEquals(ArrayAttr.ofLongs(3, 1), op(m, "nn.reshape").attr("shape"));
        assertEquals("tensor<2x3x4xf32>", op(m, "nn.mul").result().type().text());

        GraphProto noFlag = GraphProto.newBuilder().addInput(f32("a", 2, 3)).addInput(f32("b", 3))
                .addNode(node("Sub", List.of("a", "b"), List.of("y"))).addOutput(f32("y")).build();
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> importGraph(6, noFlag));
        assertTrue(e.getMessage().contains("Sub: operands tensor<2x3xf32> and tensor<3xf32> differ in shape, which"
                + " opset 6 allows only with broadcast = 1"), e.getMessage());
        assertEquals(List.of("nn.sub", "func.return"), ops(importGraph(7, noFlag)), "opset 7 broadcasts as numpy");
    }

    @Test
    void namesBecomeLocationsAndValueNamesAndIdentityVanishes() {
        GraphProto g = GraphProto.newBuilder().setName("net").addInput(f32("input", "batch", 4))
                .addNode(node("Relu", List.of("input"), List.of("act")).toBuilder().setName("layer1/relu"))
                .addNode(node("Identity", List.of("act"), List.of("same")))
                .addNode(node("Transpose", List.of("same"), List.of("output")).toBuilder().setName(""))
                .addOutput(f32("output")).build();
        Module m = importGraph(13, g);
        assertEquals(Location.name("layer1/relu"), op(m, "nn.relu").location());
        assertEquals(Location.name("Transpose#2"), op(m, "nn.transpose").location());
        String text = IRPrinter.print(m);
        assertTrue(text.contains("func.func @main(%input: tensor<?x4xf32>) -> tensor<4x?xf32> attributes"
                + " {onnx.graph_name = \"net\", result_names = [\"output\"]}"), text);
        assertTrue(text.contains("%act = \"nn.relu\"(%input)"), text);
        assertTrue(text.contains("%output = \"nn.transpose\"(%act)"), text);
    }
}
