package dev.lathe.tests;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** ONNX Runtime as the peer oracle for real models: same inputs in, f32 outputs back as Lathe values. */
final class OrtPeer implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OrtPeer(byte[] model) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(2);
        session = env.createSession(model, options);
    }

    /** Runs with i64 or f32 inputs; returns every output (f32), keyed by name in the model's order. */
    Map<String, DenseElementsAttr> run(Map<String, DenseElementsAttr> inputs) throws OrtException {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, DenseElementsAttr> e : inputs.entrySet()) {
                tensors.put(e.getKey(), toOrt(e.getValue()));
            }
            Map<String, DenseElementsAttr> outputs = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(tensors)) {
                for (Map.Entry<String, OnnxValue> output : result) {
                    OnnxTensor t = (OnnxTensor) output.getValue();
                    long[] shape = t.getInfo().getShape();
                    FloatBuffer fb = t.getFloatBuffer();
                    if (fb == null) {
                        throw new IllegalArgumentException("OrtPeer: output '" + output.getKey() + "' is "
                                + t.getInfo().type + ", only f32 outputs are supported");
                    }
                    double[] values = new double[fb.remaining()];
                    for (int k = 0; k < values.length; k++) {
                        values[k] = fb.get(k);
                    }
                    outputs.put(output.getKey(), DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, shape), values));
                }
            }
            return outputs;
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOrt(DenseElementsAttr v) throws OrtException {
        long[] shape = v.type().shapeArray();
        ByteBuffer bytes = ByteBuffer.wrap(v.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        return switch (v.elementType()) {
            case I64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(v.toLongs()), shape);
            case F32 -> OnnxTensor.createTensor(env, bytes.asFloatBuffer(), shape);
            default -> throw new IllegalArgumentException("OrtPeer: unsupported input type " + v.elementType());
        };
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
