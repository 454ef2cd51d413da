package dev.lathe.frontend.onnx;

import com.google.protobuf.ByteString;
import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.frontend.onnx.proto.AttributeProto.AttributeType;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.ModelProto;
import dev.lathe.frontend.onnx.proto.NodeProto;
import dev.lathe.frontend.onnx.proto.OperatorSetIdProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.frontend.onnx.proto.TensorProto.DataType;
import dev.lathe.frontend.onnx.proto.TensorShapeProto;
import dev.lathe.frontend.onnx.proto.TypeProto;
import dev.lathe.frontend.onnx.proto.ValueInfoProto;
import dev.lathe.ir.Module;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Small ONNX models built in tests through the generated protobuf classes. */
final class OnnxModels {

    private OnnxModels() {}

    static ModelProto model(int opset, GraphProto graph) {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("lathe-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph)
                .build();
    }

    static Module importModel(ModelProto model) {
        return OnnxImporter.importModel(model.toByteArray(), "m.onnx", null);
    }

    /**
     * A tensor value info; a dim is a size, or a String for a dim_param. Without dims the shape
     * is left out (unknown rank, as graph outputs may be); {@link #scalar} makes a rank-0 one.
     */
    static ValueInfoProto tensor(String name, DataType type, Object... dims) {
        if (dims.length == 0) {
            return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()))).build();
        }
        return shaped(name, type, dims);
    }

    static ValueInfoProto scalar(String name, DataType type) {
        return shaped(name, type);
    }

    private static ValueInfoProto shaped(String name, DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String param) {
                dim.setDimParam(param);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    static ValueInfoProto f32(String name, Object... dims) {
        return tensor(name, DataType.FLOAT, dims);
    }

    static NodeProto node(String opType, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        return NodeProto.newBuilder().setOpType(opType).setName(opType.toLowerCase() + "_node")
                .addAllInput(inputs).addAllOutput(outputs).addAllAttribute(List.of(attrs)).build();
    }

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
    }

    static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static AttributeProto tensorAttr(String name, TensorProto t) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(t).build();
    }

    /** A FLOAT tensor with its values in raw_data. */
    static TensorProto floats(String name, long[] dims, float... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    /** An INT64 tensor with its values in int64_data. */
    static TensorProto longs(String name, long[] dims, long... values) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.INT64_VALUE);
        for (long d : dims) {
            b.addDims(d);
        }
        for (long v : values) {
            b.addInt64Data(v);
        }
        return b.build();
    }

    static float[] range(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }
}
