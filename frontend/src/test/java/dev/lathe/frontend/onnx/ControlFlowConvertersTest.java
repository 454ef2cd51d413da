package dev.lathe.frontend.onnx;

import static dev.lathe.frontend.onnx.OnnxModels.f32;
import static dev.lathe.frontend.onnx.OnnxModels.intAttr;
import static dev.lathe.frontend.onnx.OnnxModels.intsAttr;
import static dev.lathe.frontend.onnx.OnnxModels.model;
import static dev.lathe.frontend.onnx.OnnxModels.node;
import static dev.lathe.frontend.onnx.OnnxModels.scalar;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.IRParser;
import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.frontend.onnx.proto.AttributeProto.AttributeType;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.frontend.onnx.proto.TensorProto.DataType;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** If, Loop and Scan: the opset forms ONNX's node tests do not cover, imported and run. */
class ControlFlowConvertersTest {

    private static AttributeProto graphAttr(String name, GraphProto g) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.GRAPH).setG(g).build();
    }

    private static TensorProto bool(String name, boolean v) {
        return TensorProto.newBuilder().setName(name).setDataType(DataType.BOOL_VALUE).addInt32Data(v ? 1 : 0).build();
    }

    private static List<String> ops(Module m) {
        List<String> names = new java.util.ArrayList<>();
        FuncOps.body(m.lookupSymbol("main").orElseThrow()).walk(op -> names.add(op.name()));
        return names;
    }

    private static Map<String, DenseElementsAttr> run(Module m, Map<String, DenseElementsAttr> inputs) {
        String text = IRPrinter.print(m);
        assertEquals(text, IRPrinter.print(IRParser.parse(text, "m.lir")), "print(parse(print(m))) differs");
        return new Interpreter(m).run("main", inputs);
    }

    private static DenseElementsAttr f32s(long[] shape, double... values) {
        return DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, shape), values);
    }

    /** {@code body(i, c, x) = (not c, x + 1)}; Loop(M, "", x) ignores the body's false condition. */
    @Test
    void loopWithoutConditionRunsTheTripCountAndIgnoresTheBodysCondition() {
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(scalar("i", DataType.INT64)).addInput(scalar("c", DataType.BOOL)).addInput(f32("xi", 2))
                .addInitializer(OnnxModels.floats("one", new long[] {}, 1))
                .addNode(node("Not", List.of("c"), List.of("c_out")))
                .addNode(node("Add", List.of("xi", "one"), List.of("xo")))
                .addOutput(scalar("c_out", DataType.BOOL)).addOutput(f32("xo", 2)).build();
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 2))
                .addInitializer(OnnxModels.longs("m", new long[] {}, 3))
                .addNode(node("Loop", List.of("m", "", "x"), List.of("y"), graphAttr("body", body)))
                .addOutput(f32("y", 2)).build();
        Module m = OnnxModels.importModel(model(13, g));
        assertTrue(ops(m).contains("nn.loop"), ops(m).toString());
        DenseElementsAttr y = run(m, Map.of("x", f32s(new long[] {2}, 1, -1))).get("y");
        assertArrayEquals(new double[] {4, 2}, y.toDoubles());
    }

    /**
     * A carried value that doubles its length each iteration (Concat(x, x)) goes into the body
     * as {@code tensor<?xf32>} after a second import, which leaves no constants of the first behind.
     */
    @Test
    void loopCarriedShapeThatChangesBecomesDynamic() {
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(scalar("i", DataType.INT64)).addInput(scalar("c", DataType.BOOL)).addInput(f32("xi"))
                .addInitializer(OnnxModels.floats("half", new long[] {}, 0.5f))
                .addNode(node("Mul", List.of("xi", "half"), List.of("h")))
                .addNode(node("Concat", List.of("h", "xi"), List.of("xo"), intAttr("axis", 0)))
                .addOutput(scalar("c", DataType.BOOL)).addOutput(f32("xo")).addOutput(scalar("i", DataType.INT64)).build();
        GraphProto g = GraphProto.newBuilder().addInput(f32("x", 1)).addInput(scalar("m", DataType.INT64))
                .addInitializer(bool("yes", true))
                .addNode(node("Loop", List.of("m", "yes", "x"), List.of("y", "iterations"), graphAttr("body", body)))
                .addOutput(f32("y")).addOutput(OnnxModels.tensor("iterations", DataType.INT64)).build();
        Module m = OnnxModels.importModel(model(11, g));
        Operation loop = FuncOps.body(m.lookupSymbol("main").orElseThrow()).operations().stream()
                .filter(o -> o.isA("nn.loop")).findFirst().orElseThrow();
        assertEquals("tensor<?xf32>", loop.region(0).entryBlock().argument(2).type().text());
        assertEquals(List.of("tensor<?xf32>", "tensor<?xi64>"), loop.resultTypes().stream().map(t -> t.text()).toList());
        assertEquals(2, ops(m).stream().filter(n -> n.equals("nn.constant")).count(), ops(m).toString()); // yes, half
        Map<String, DenseElementsAttr> out = run(m, Map.of("x", f32s(new long[] {1}, 8),
                "m", DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64), 2)));
        assertArrayEquals(new double[] {2, 4, 4, 8}, out.get("y").toDoubles());
        assertArrayEquals(new long[] {0, 1}, out.get("iterations").toLongs());
    }

    private static GraphProto branch(String name, String op) {
        return GraphProto.newBuilder().setName(name)
                .addNode(node(op, List.of("x", "x"), List.of(name + "_out")))
                .addOutput(f32(name + "_out")).build();
    }

    private static GraphProto ifGraph(GraphProto.Builder g) {
        return g.addInput(f32("x", 3))
                .addNode(node("If", List.of("c"), List.of("y"), graphAttr("then_branch", branch("then", "Add")),
                        graphAttr("else_branch", branch("else", "Mul"))))
                .addOutput(f32("y")).build();
    }

    @Test
    void ifUsesOuterValuesAndRunsTheChosenBranch() {
        Module m = OnnxModels.importModel(model(11, ifGraph(GraphProto.newBuilder().addInput(scalar("c", DataType.BOOL)))));
        DenseElementsAttr x = f32s(new long[] {3}, 1, 2, 3);
        DenseElementsAttr yes = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I1), 1);
        DenseElementsAttr no = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I1), 0);
        assertArrayEquals(new double[] {2, 4, 6}, run(m, Map.of("c", yes, "x", x)).get("y").toDoubles());
        assertArrayEquals(new double[] {1, 4, 9}, run(m, Map.of("c", no, "x", x)).get("y").toDoubles());
    }

    @Test
    void ifWithAConditionKnownAtImportInlinesTheTakenBranch() {
        Module m = OnnxModels.importModel(model(13, ifGraph(GraphProto.newBuilder().addInitializer(bool("c", false)))));
        assertEquals(List.of("nn.constant", "nn.mul", "func.return"), ops(m)); // the condition stays, unused
    }

    /**
     * Scan-11 with negative axes, reading its input backwards: running sums over the columns of
     * x [2, 3] from the last, stacked as columns (axis -1).
     */
    @Test
    void scanNormalizesNegativeAxesAndReadsBackwards() {
        GraphProto body = GraphProto.newBuilder().setName("body")
                .addInput(f32("s", 2)).addInput(f32("col", 2))
                .addNode(node("Add", List.of("s", "col"), List.of("s_out")))
                .addNode(node("Identity", List.of("s_out"), List.of("o")))
                .addOutput(f32("s_out", 2)).addOutput(f32("o", 2)).build();
        GraphProto g = GraphProto.newBuilder().addInput(f32("s0", 2)).addInput(f32("x", 2, 3))
                .addNode(node("Scan", List.of("s0", "x"), List.of("s", "o"), graphAttr("body", body),
                        intAttr("num_scan_inputs", 1), intsAttr("scan_input_axes", -1),
                        intsAttr("scan_input_directions", 1), intsAttr("scan_output_axes", -1)))
                .addOutput(f32("s", 2)).addOutput(f32("o", 2, 3)).build();
        Module m = OnnxModels.importModel(model(11, g));
        Operation scan = FuncOps.body(m.lookupSymbol("main").orElseThrow()).operations().stream()
                .filter(o -> o.isA("nn.scan")).findFirst().orElseThrow();
        assertArrayEquals(new long[] {1}, ((ArrayAttr) scan.attr("scan_input_axes")).asLongs());
        assertArrayEquals(new long[] {1}, ((ArrayAttr) scan.attr("scan_output_axes")).asLongs());
        assertArrayEquals(new long[] {0}, ((ArrayAttr) scan.attr("scan_output_directions")).asLongs());
        Map<String, DenseElementsAttr> out = run(m, Map.of("s0", f32s(new long[] {2}, 0, 100),
                "x", f32s(new long[] {2, 3}, 1, 2, 3, 10, 20, 30)));
        assertArrayEquals(new double[] {6, 160}, out.get("s").toDoubles());
        assertArrayEquals(new double[] {3, 5, 6, 130, 150, 160}, out.get("o").toDoubles());
    }

    @Test
    void scan8WithSequenceLengthsIsAnUnsupportedForm() {
        GraphProto body = GraphProto.newBuilder().setName("body").addInput(f32("a", 2)).addInput(f32("b", 2))
                .addNode(node("Add", List.of("a", "b"), List.of("c"))).addOutput(f32("c", 2)).build();
        GraphProto g = GraphProto.newBuilder().addInput(OnnxModels.tensor("lens", DataType.INT64, 1))
                .addInput(f32("s0", 1, 2)).addInput(f32("x", 1, 3, 2))
                .addNode(node("Scan", List.of("lens", "s0", "x"), List.of("s"), graphAttr("body", body),
                        intAttr("num_scan_inputs", 1)))
                .addOutput(f32("s", 1, 2)).build();
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> OnnxModels.importModel(model(8, g)));
        assertTrue(e.getMessage().contains("unsupported form of op 'Scan'") && e.getMessage().contains("sequence_lens"),
                e.getMessage());
    }
}
