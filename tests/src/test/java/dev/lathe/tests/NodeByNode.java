package dev.lathe.tests;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lathe.frontend.onnx.ImportOptions;
import dev.lathe.frontend.onnx.OnnxImporter;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.ModelProto;
import dev.lathe.frontend.onnx.proto.NodeProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.frontend.onnx.proto.TensorShapeProto;
import dev.lathe.frontend.onnx.proto.TypeProto;
import dev.lathe.frontend.onnx.proto.ValueInfoProto;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a model node by node: ONNX Runtime (without graph optimizations, so every node's output
 * is what that node computes) gives the value of every tensor, and Lathe then imports and runs
 * each node alone on exactly the inputs ORT gave that node. This takes error propagation out of
 * the comparison: a node's result can differ only by how Lathe and ORT round that one op, so
 * integer results must be equal and float results agree to a few ulps.
 *
 * <p>It is how a model that amplifies rounding (dynamic quantization re-derives each scale
 * from a tensor's min and max) is still checked tightly, and how a failing model is narrowed
 * down to the node that is wrong.
 */
final class NodeByNode {

    /** Per op type: nodes checked and the largest error, relative to the output tensor's largest |value|. */
    record OpStats(int nodes, double maxError) {}

    /** A node whose output is not what ORT computed. */
    record Mismatch(String node, String opType, String output, String detail) {
        @Override
        public String toString() {
            return "node '" + node + "' (" + opType + "), output '" + output + "': " + detail;
        }
    }

    record Report(Map<String, OpStats> stats, List<Mismatch> mismatches) {}

    private NodeByNode() {}

    /**
     * Checks every node of the model's main graph except Constants. The graph may not have
     * subgraphs (the body of an If or a Loop may read outer values, so such a node cannot run
     * alone). A float output fails when some element differs from ORT's by more than
     * {@code floatTolerance * max|ort|} over that output tensor (ORT's f32 accumulation order
     * differs from Lathe's, so a bound per element would reject cancellation near zero); an
     * integer or boolean output must be equal.
     */
    static Report check(byte[] modelBytes, Map<String, DenseElementsAttr> inputs, double floatTolerance)
            throws Exception {
        ModelProto model = ModelProto.parseFrom(modelBytes);
        GraphProto graph = model.getGraph();
        for (NodeProto node : graph.getNodeList()) {
            if (node.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0)) {
                throw new IllegalArgumentException("NodeByNode does not handle subgraphs; node '" + node.getName()
                        + "' (" + node.getOpType() + ") has one");
            }
        }
        Map<String, DenseElementsAttr> values = ortValues(model, inputs);
        Map<String, TensorProto> initializers = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        Map<String, OpStats> stats = new TreeMap<>();
        List<Mismatch> mismatches = new ArrayList<>();
        int index = 0;
        for (NodeProto node : graph.getNodeList()) {
            String name = node.getName().isEmpty() ? node.getOpType() + "#" + index : node.getName();
            index++;
            if (node.getOpType().equals("Constant")) {
                continue;
            }
            double worst = checkNode(model, node, name, initializers, values, floatTolerance, mismatches);
            stats.merge(node.getOpType(), new OpStats(1, worst),
                    (a, b) -> new OpStats(a.nodes() + b.nodes(), Math.max(a.maxError(), b.maxError())));
        }
        return new Report(stats, mismatches);
    }

    private static double checkNode(ModelProto model, NodeProto node, String name, Map<String, TensorProto> initializers,
            Map<String, DenseElementsAttr> values, double floatTolerance, List<Mismatch> mismatches) {
        GraphProto.Builder g = GraphProto.newBuilder().setName(name).addNode(node);
        Map<String, DenseElementsAttr> fed = new LinkedHashMap<>();
        for (String input : new LinkedHashSet<>(node.getInputList())) {
            if (input.isEmpty()) {
                continue;
            }
            if (initializers.containsKey(input)) {
                g.addInitializer(initializers.get(input));
                continue;
            }
            DenseElementsAttr v = values.get(input);
            if (v == null) {
                mismatches.add(new Mismatch(name, node.getOpType(), input, "ORT gave no value for this input"));
                return 0;
            }
            g.addInput(valueInfo(input, v));
            fed.put(input, v);
        }
        for (String output : node.getOutputList()) {
            if (!output.isEmpty()) {
                g.addOutput(ValueInfoProto.newBuilder().setName(output));
            }
        }
        ModelProto single = model.toBuilder().setGraph(g).build();
        Map<String, DenseElementsAttr> actual;
        try {
            Interpreter interpreter = new Interpreter(OnnxImporter.importModel(single, name, Path.of("."),
                    ImportOptions.defaults().withInputValues(fed)));
            Map<String, DenseElementsAttr> args = new LinkedHashMap<>();
            for (String arg : interpreter.signature("main").inputNames()) {
                args.put(arg, fed.get(arg));
            }
            actual = interpreter.run("main", args);
        } catch (RuntimeException e) {
            mismatches.add(new Mismatch(name, node.getOpType(), "", e.getMessage()));
            return 0;
        }
        double worst = 0;
        for (String output : node.getOutputList()) {
            if (output.isEmpty()) {
                continue;
            }
            DenseElementsAttr expected = values.get(output);
            DenseElementsAttr got = actual.get(output);
            if (expected == null || got == null) {
                mismatches.add(new Mismatch(name, node.getOpType(), output, "no value from " + (got == null ? "Lathe" : "ORT")));
                continue;
            }
            if (!expected.type().equals(got.type())) {
                mismatches.add(new Mismatch(name, node.getOpType(), output,
                        "Lathe gives " + got.type() + ", ORT " + expected.type()));
                continue;
            }
            boolean isFloat = expected.elementType().kind() == ScalarType.Kind.FLOAT;
            double scale = 0;
            for (long i = 0; i < expected.numElements(); i++) {
                scale = Math.max(scale, Math.abs(expected.getDouble(i)));
            }
            for (long i = 0; i < expected.numElements(); i++) {
                double e = expected.getDouble(i);
                double a = got.getDouble(i);
                double error = Math.abs(a - e);
                double relative = scale == 0 ? error : error / scale;
                if (isFloat ? !(relative <= floatTolerance) : error != 0) {
                    mismatches.add(new Mismatch(name, node.getOpType(), output, String.format(
                            "element %d: lathe %s, ort %s (largest |ort| in the tensor %.4g)", i, a, e, scale)));
                    break;
                }
                worst = Math.max(worst, relative);
            }
        }
        return worst;
    }

    /** Every tensor of the main graph as ORT computes it: the inputs, then every node output. */
    private static Map<String, DenseElementsAttr> ortValues(ModelProto model, Map<String, DenseElementsAttr> inputs)
            throws OrtException {
        GraphProto.Builder g = model.getGraph().toBuilder();
        Set<String> outputs = new LinkedHashSet<>();
        g.getOutputList().forEach(o -> outputs.add(o.getName()));
        for (NodeProto node : g.getNodeList()) {
            for (String o : node.getOutputList()) {
                if (!o.isEmpty() && outputs.add(o)) {
                    g.addOutput(ValueInfoProto.newBuilder().setName(o));
                }
            }
        }
        byte[] everything = model.toBuilder().setGraph(g).build().toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, DenseElementsAttr> values = new HashMap<>(inputs);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            options.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(everything, options)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    for (Map.Entry<String, DenseElementsAttr> e : inputs.entrySet()) {
                        feed.put(e.getKey(), toOrt(env, e.getValue()));
                    }
                    try (OrtSession.Result result = session.run(feed)) {
                        for (Map.Entry<String, OnnxValue> e : result) {
                            values.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
                        }
                    }
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        }
        return values;
    }

    private static OnnxTensor toOrt(OrtEnvironment env, DenseElementsAttr v) throws OrtException {
        long[] shape = v.type().shapeArray();
        return switch (v.elementType()) {
            case I64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(v.toLongs()), shape);
            case F32 -> OnnxTensor.createTensor(env, ByteBuffer.wrap(v.toBytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), shape);
            default -> throw new IllegalArgumentException("unsupported input type " + v.elementType());
        };
    }

    private static DenseElementsAttr fromOrt(OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        OnnxJavaType type = t.getInfo().type;
        ByteBuffer bytes = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        ScalarType element = switch (type) {
            case FLOAT -> ScalarType.F32;
            case DOUBLE -> ScalarType.F64;
            case INT64 -> ScalarType.I64;
            case INT32 -> ScalarType.I32;
            case INT16 -> ScalarType.I16;
            case INT8 -> ScalarType.I8;
            case UINT8 -> ScalarType.U8;
            case BOOL -> ScalarType.I1;
            default -> throw new IllegalArgumentException("unsupported ORT output type " + type);
        };
        return DenseElementsAttr.fromBytes(TensorType.of(element, shape), raw);
    }

    private static ValueInfoProto valueInfo(String name, DenseElementsAttr v) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : v.type().shapeArray()) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        int elemType = switch (v.elementType()) {
            case F32 -> TensorProto.DataType.FLOAT_VALUE;
            case F64 -> TensorProto.DataType.DOUBLE_VALUE;
            case I64 -> TensorProto.DataType.INT64_VALUE;
            case I32 -> TensorProto.DataType.INT32_VALUE;
            case I16 -> TensorProto.DataType.INT16_VALUE;
            case I8 -> TensorProto.DataType.INT8_VALUE;
            case U8 -> TensorProto.DataType.UINT8_VALUE;
            case I1 -> TensorProto.DataType.BOOL_VALUE;
            default -> throw new IllegalArgumentException("unsupported type " + v.elementType());
        };
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }
}
