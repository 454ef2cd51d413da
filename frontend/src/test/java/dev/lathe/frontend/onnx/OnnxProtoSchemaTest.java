package dev.lathe.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.ModelProto;
import dev.lathe.frontend.onnx.proto.NodeProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.frontend.onnx.proto.TensorShapeProto;
import dev.lathe.frontend.onnx.proto.TypeProto;
import org.junit.jupiter.api.Test;

/**
 * Lathe's onnx.proto is written for Lathe; these wire numbers must stay ONNX's (they were
 * checked field by field against the descriptors of the onnx Python package, and real model
 * files parse in the other tests). A renumbering here would silently misread every model.
 */
class OnnxProtoSchemaTest {

    @Test
    void fieldNumbersAreOnnxs() {
        assertEquals(1, ModelProto.IR_VERSION_FIELD_NUMBER);
        assertEquals(7, ModelProto.GRAPH_FIELD_NUMBER);
        assertEquals(8, ModelProto.OPSET_IMPORT_FIELD_NUMBER);
        assertEquals(20, ModelProto.TRAINING_INFO_FIELD_NUMBER);
        assertEquals(25, ModelProto.FUNCTIONS_FIELD_NUMBER);
        assertEquals(1, GraphProto.NODE_FIELD_NUMBER);
        assertEquals(5, GraphProto.INITIALIZER_FIELD_NUMBER);
        assertEquals(15, GraphProto.SPARSE_INITIALIZER_FIELD_NUMBER);
        assertEquals(11, GraphProto.INPUT_FIELD_NUMBER);
        assertEquals(12, GraphProto.OUTPUT_FIELD_NUMBER);
        assertEquals(7, NodeProto.DOMAIN_FIELD_NUMBER);
        assertEquals(20, AttributeProto.TYPE_FIELD_NUMBER);
        assertEquals(21, AttributeProto.REF_ATTR_NAME_FIELD_NUMBER);
        assertEquals(22, AttributeProto.SPARSE_TENSOR_FIELD_NUMBER);
        assertEquals(9, TensorProto.RAW_DATA_FIELD_NUMBER);
        assertEquals(13, TensorProto.EXTERNAL_DATA_FIELD_NUMBER);
        assertEquals(14, TensorProto.DATA_LOCATION_FIELD_NUMBER);
        assertEquals(11, TensorProto.UINT64_DATA_FIELD_NUMBER);
        assertEquals(2, TensorShapeProto.Dimension.DIM_PARAM_FIELD_NUMBER);
        assertEquals(9, TypeProto.OPTIONAL_TYPE_FIELD_NUMBER);
        assertEquals(8, TypeProto.SPARSE_TENSOR_TYPE_FIELD_NUMBER);
    }

    @Test
    void enumValuesAreOnnxs() {
        assertEquals(10, TensorProto.DataType.FLOAT16_VALUE);
        assertEquals(16, TensorProto.DataType.BFLOAT16_VALUE);
        assertEquals(17, TensorProto.DataType.FLOAT8E4M3FN_VALUE);
        assertEquals(11, AttributeProto.AttributeType.SPARSE_TENSOR_VALUE);
        assertEquals(13, AttributeProto.AttributeType.TYPE_PROTO_VALUE);
        assertEquals(1, TensorProto.DataLocation.EXTERNAL_VALUE);
    }
}
