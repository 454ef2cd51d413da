package dev.lathe.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime (CPU execution provider, default graph optimizations) on one model, with
 * {@code threads} intra-op threads and one inter-op thread (sequential execution), so that it
 * uses as many cores as Lathe's JIT given the same count. Inputs become ORT tensors once; a timed
 * {@link #run} is one {@code session.run}, which includes ORT allocating its outputs.
 */
public final class OrtEngine implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    private final OrtSession session;
    private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();

    public OrtEngine(byte[] model, int threads) throws OrtException {
        // Warnings (unused initializers in Silero, ...) are noise here; errors still show.
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        session = env.createSession(model, options);
    }

    /** The model's inputs as its graph declares them, symbolic dimension names included. */
    public List<InputSpec> inputSpecs() throws OrtException {
        List<InputSpec> specs = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            if (!(e.getValue().getInfo() instanceof TensorInfo t)) {
                throw new IllegalArgumentException("input '" + e.getKey() + "' is not a tensor: " + e.getValue().getInfo());
            }
            String[] names = t.getDimensionNames();
            String[] dimNames = new String[t.getShape().length];
            for (int i = 0; i < dimNames.length; i++) {
                dimNames[i] = names != null && i < names.length && names[i] != null ? names[i] : "";
            }
            specs.add(new InputSpec(e.getKey(), scalar(t.type), t.getShape(), dimNames));
        }
        return specs;
    }

    /** Makes ORT tensors of {@code values} for the following runs. */
    public void setInputs(Map<String, DenseElementsAttr> values) throws OrtException {
        closeInputs();
        for (Map.Entry<String, DenseElementsAttr> e : values.entrySet()) {
            DenseElementsAttr v = e.getValue();
            ByteBuffer bytes = ByteBuffer.allocateDirect(Math.toIntExact(v.numElements() * v.elementType().byteSize()))
                    .order(ByteOrder.nativeOrder());
            bytes.put(v.toBytes()).flip();
            inputs.put(e.getKey(), OnnxTensor.createTensor(env, bytes, v.type().shapeArray(), javaType(v.elementType())));
        }
    }

    /** One timed call. */
    public void run() throws OrtException {
        session.run(inputs).close();
    }

    /** One call's outputs, keyed by name in the model's order. */
    public Map<String, DenseElementsAttr> outputs() throws OrtException {
        Map<String, DenseElementsAttr> out = new LinkedHashMap<>();
        try (OrtSession.Result result = session.run(inputs)) {
            for (Map.Entry<String, OnnxValue> e : result) {
                if (!(e.getValue() instanceof OnnxTensor t)) {
                    throw new IllegalArgumentException("output '" + e.getKey() + "' is not a tensor");
                }
                TensorInfo info = t.getInfo();
                ByteBuffer bytes = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                out.put(e.getKey(), DenseElementsAttr.fromBuffer(TensorType.of(scalar(info.type), info.getShape()), bytes));
            }
        }
        return out;
    }

    static ScalarType scalar(OnnxJavaType t) {
        return switch (t) {
            case FLOAT -> ScalarType.F32;
            case DOUBLE -> ScalarType.F64;
            case INT64 -> ScalarType.I64;
            case INT32 -> ScalarType.I32;
            case INT16 -> ScalarType.I16;
            case INT8 -> ScalarType.I8;
            case UINT8 -> ScalarType.U8;
            case BOOL -> ScalarType.I1;
            case FLOAT16 -> ScalarType.F16;
            case BFLOAT16 -> ScalarType.BF16;
            default -> throw new IllegalArgumentException("the bench does not handle ORT element type " + t);
        };
    }

    static OnnxJavaType javaType(ScalarType t) {
        return switch (t) {
            case F32 -> OnnxJavaType.FLOAT;
            case F64 -> OnnxJavaType.DOUBLE;
            case I64 -> OnnxJavaType.INT64;
            case I32 -> OnnxJavaType.INT32;
            case I16 -> OnnxJavaType.INT16;
            case I8 -> OnnxJavaType.INT8;
            case U8 -> OnnxJavaType.UINT8;
            case I1 -> OnnxJavaType.BOOL;
            case F16 -> OnnxJavaType.FLOAT16;
            case BF16 -> OnnxJavaType.BFLOAT16;
            default -> throw new IllegalArgumentException("the bench does not handle element type " + t.text());
        };
    }

    private void closeInputs() {
        inputs.values().forEach(OnnxTensor::close);
        inputs.clear();
    }

    @Override
    public void close() throws OrtException {
        closeInputs();
        session.close();
        options.close();
    }
}
