package dev.lathe.frontend.onnx;

import static dev.lathe.frontend.onnx.OnnxModels.f32;
import static dev.lathe.frontend.onnx.OnnxModels.model;
import static dev.lathe.frontend.onnx.OnnxModels.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.frontend.onnx.proto.AttributeProto.AttributeType;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.SparseTensorProto;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Initializers and Constant nodes in every form become nn.constant, inline when small, resources when large. */
class ConstantImportTest {

    /** The module of a graph that returns one Constant node's value. */
    private static Module constantModel(AttributeProto attr) {
        return OnnxModels.importModel(model(13, GraphProto.newBuilder()
                .addNode(node("Constant", List.of(), List.of("c"), attr)).addOutput(f32("c")).build()));
    }

    private static Operation firstOp(Module m) {
        return FuncOps.body(m.lookupSymbol("main").orElseThrow()).first();
    }

    private static DenseElementsAttr value(Module m) {
        return NnConstants.valueOf(firstOp(m), m);
    }

    @Test
    void scalarAndListAttributeFormsHaveOnnxTypes() {
        DenseElementsAttr f = value(constantModel(OnnxModels.floatAttr("value_float", 2.5f)));
        assertEquals(DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32), 2.5), f);

        AttributeProto floats = AttributeProto.newBuilder().setName("value_floats").setType(AttributeType.FLOATS)
                .addFloats(1).addFloats(-2).build();
        assertEquals(DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 2), 1, -2), value(constantModel(floats)));

        assertEquals(DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64), 7),
                value(constantModel(OnnxModels.intAttr("value_int", 7))));
        assertEquals(DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64, 3), 1, 2, 3),
                value(constantModel(OnnxModels.intsAttr("value_ints", 1, 2, 3))));
    }

    @Test
    void sparseValuesAreDensified() {
        SparseTensorProto sparse = SparseTensorProto.newBuilder()
                .setValues(OnnxModels.floats("v", new long[] {2}, 5f, 6f))
                .setIndices(OnnxModels.longs("i", new long[] {2}, 1, 10))
                .addDims(3).addDims(4).build();
        AttributeProto attr = AttributeProto.newBuilder().setName("sparse_value").setType(AttributeType.SPARSE_TENSOR)
                .setSparseTensor(sparse).build();
        double[] expected = new double[12];
        expected[1] = 5;
        expected[10] = 6;
        assertArrayEquals(expected, value(constantModel(attr)).toDoubles());

        SparseTensorProto coordinates = sparse.toBuilder()
                .setIndices(OnnxModels.longs("i", new long[] {2, 2}, 0, 1, 2, 2)).build();
        AttributeProto coo = attr.toBuilder().setSparseTensor(coordinates).build();
        assertArrayEquals(expected, value(constantModel(coo)).toDoubles());
    }

    @Test
    void smallValuesAndSplatsAreInlineLargerOnesResources() {
        Module small = constantModel(OnnxModels.tensorAttr("value",
                OnnxModels.floats("t", new long[] {16}, OnnxModels.range(16))));
        assertInstanceOf(DenseElementsAttr.class, firstOp(small).attr("value"));
        assertTrue(small.resources().isEmpty());

        Module large = constantModel(OnnxModels.tensorAttr("value",
                OnnxModels.floats("t", new long[] {17}, OnnxModels.range(17))));
        DenseResourceAttr resource = assertInstanceOf(DenseResourceAttr.class, firstOp(large).attr("value"));
        assertEquals("c", resource.name(), "named after the Constant's output");
        assertEquals(64, large.resource("c").alignment());
        assertEquals(16.0, value(large).getDouble(16));

        Module splat = constantModel(OnnxModels.tensorAttr("value",
                OnnxModels.floats("t", new long[] {10, 10}, new float[100])));
        DenseElementsAttr zeros = assertInstanceOf(DenseElementsAttr.class, firstOp(splat).attr("value"));
        assertTrue(zeros.isSplat());
        assertTrue(splat.resources().isEmpty());
    }

    @Test
    void initializersAreConstantsNamedAfterThemAndOnlyWhenUsed() {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addInput(f32("x", 2, 10))
                .addInitializer(OnnxModels.floats("bias", new long[] {10}, OnnxModels.range(10)))
                .addInitializer(OnnxModels.floats("weight", new long[] {10, 3}, OnnxModels.range(30)))
                .addInitializer(OnnxModels.floats("unused", new long[] {1}, 1f))
                .addNode(node("Add", List.of("x", "bias"), List.of("h")))
                .addNode(node("MatMul", List.of("h", "weight"), List.of("y")))
                .addOutput(f32("y")).build();
        Module m = OnnxModels.importModel(model(13, g));
        Operation main = m.lookupSymbol("main").orElseThrow();
        List<Operation> ops = FuncOps.body(main).operations();
        assertEquals("bias", ops.get(0).result().nameHint());
        assertEquals("weight", ops.get(1).result().nameHint());
        assertTrue(ops.get(0).attr("value") instanceof DenseElementsAttr, "10 elements: inline");
        assertTrue(ops.get(1).attr("value") instanceof DenseResourceAttr, "30 elements: a resource");
        assertEquals(List.of("weight"), List.copyOf(m.resources().keySet()));
        assertEquals(5, ops.size(), "bias, weight, add, matmul, return: the unused initializer is left out");
    }

    @Test
    void graphInputsWithAnInitializerBecomeConstants() {
        GraphProto g = GraphProto.newBuilder()
                .addInput(f32("x", 2)).addInput(f32("b", 2))
                .addInitializer(OnnxModels.floats("b", new long[] {2}, 1f, 2f))
                .addNode(node("Add", List.of("x", "b"), List.of("y"))).addOutput(f32("y")).build();
        Module m = OnnxModels.importModel(model(13, g));
        Operation main = m.lookupSymbol("main").orElseThrow();
        assertEquals("(tensor<2xf32>) -> tensor<2xf32>", FuncOps.type(main).text());
        assertEquals("b", firstOp(m).result().nameHint());
        assertNull(main.attr("onnx.frozen_inputs"));
    }
}
