package dev.lathe.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.frontend.onnx.proto.TensorProto.DataType;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TensorProto files: ONNX's test data read with the right type and values, and Lathe's own written back. */
class TensorProtosTest {

    private static NamedTensor read(String test, String file) throws Exception {
        return TensorProtos.read(OnnxTestData.node(test).resolve("test_data_set_0").resolve(file));
    }

    @Test
    void readsFloatTestDataWithNameShapeAndValues() throws Exception {
        NamedTensor x = read("test_add", "input_0.pb");
        assertEquals("x", x.name());
        assertEquals(TensorType.of(ScalarType.F32, 3, 4, 5), x.value().type());
        assertEquals(1.764052391052246, x.value().getDouble(0));
        assertEquals(0.40015721321105957, x.value().getDouble(1));
        assertEquals(-0.3627411723136902, x.value().getDouble(59));

        NamedTensor sum = read("test_add", "output_0.pb");
        assertEquals("sum", sum.name());
        assertEquals(1.0915919542312622, sum.value().getDouble(0));
    }

    @Test
    void readsEveryElementTypeOfTheTestData() throws Exception {
        NamedTensor shape = read("test_reshape_negative_dim", "input_1.pb");
        assertEquals(TensorType.of(ScalarType.I64, 3), shape.value().type());
        assertArrayEquals(new long[] {2, -1, 2}, shape.value().toLongs());

        DenseElementsAttr bools = read("test_and2d", "input_0.pb").value();
        assertEquals(TensorType.of(ScalarType.I1, 3, 4), bools.type());
        assertEquals(1, bools.getLong(0));

        DenseElementsAttr halves = read("test_cast_FLOAT_to_FLOAT16", "output_0.pb").value();
        assertEquals(TensorType.of(ScalarType.F16, 3, 4), halves.type());
        assertEquals(0.548828125, halves.getDouble(0));
        assertEquals(0.52880859375, halves.getDouble(11));

        DenseElementsAttr doubles = read("test_cast_FLOAT_to_DOUBLE", "output_0.pb").value();
        assertEquals(TensorType.of(ScalarType.F64, 3, 4), doubles.type());
        assertEquals(0.5680445432662964, doubles.getDouble(0));

        DenseElementsAttr bytes = read("test_add_uint8", "input_0.pb").value();
        assertEquals(TensorType.of(ScalarType.U8, 3, 4, 5), bytes.type());
        assertEquals(12, bytes.getLong(0));

        DenseElementsAttr scalar = read("test_gemm_default_scalar_bias", "input_2.pb").value();
        assertEquals(TensorType.of(ScalarType.F32), scalar.type());
        assertEquals(3.14f, (float) scalar.getDouble(0));
    }

    @Test
    void decodesTheTypedDataFields() {
        assertEquals(dense(ScalarType.F32, new long[] {2}, 1.5, -2),
                decode(proto(DataType.FLOAT, 2).addFloatData(1.5f).addFloatData(-2f)));
        assertEquals(dense(ScalarType.F64, new long[] {1}, 0.1),
                decode(proto(DataType.DOUBLE, 1).addDoubleData(0.1)));
        assertEquals(dense(ScalarType.I64, new long[] {2}, -7, 1L << 40),
                decode(proto(DataType.INT64, 2).addInt64Data(-7).addInt64Data(1L << 40)));
        assertEquals(dense(ScalarType.I32, new long[] {1}, -5), decode(proto(DataType.INT32, 1).addInt32Data(-5)));
        assertEquals(dense(ScalarType.I16, new long[] {1}, -300), decode(proto(DataType.INT16, 1).addInt32Data(-300)));
        assertEquals(dense(ScalarType.I8, new long[] {2}, -3, 127),
                decode(proto(DataType.INT8, 2).addInt32Data(-3).addInt32Data(127)));
        assertEquals(dense(ScalarType.U8, new long[] {1}, 200), decode(proto(DataType.UINT8, 1).addInt32Data(200)));
        assertEquals(dense(ScalarType.I1, new long[] {3}, 0, 1, 1),
                decode(proto(DataType.BOOL, 3).addInt32Data(0).addInt32Data(1).addInt32Data(2)));
        // float16 and bfloat16 travel as bit patterns in int32_data: 0x3C00 and 0x3F80 are 1.0.
        assertEquals(dense(ScalarType.F16, new long[] {2}, 1.0, -2.0),
                decode(proto(DataType.FLOAT16, 2).addInt32Data(0x3C00).addInt32Data(0xC000)));
        assertEquals(dense(ScalarType.BF16, new long[] {1}, 1.0), decode(proto(DataType.BFLOAT16, 1).addInt32Data(0x3F80)));
    }

    @Test
    void writesAndReadsBackEveryElementType(@TempDir Path dir) throws Exception {
        for (ScalarType t : new ScalarType[] {ScalarType.F64, ScalarType.F32, ScalarType.F16, ScalarType.BF16,
                ScalarType.I64, ScalarType.I32, ScalarType.I16, ScalarType.I8, ScalarType.U8, ScalarType.I1}) {
            DenseElementsAttr value = dense(t, new long[] {2, 3}, 0, 1, 0, 1, 1, 0);
            Path file = dir.resolve(t.text() + ".pb");
            TensorProtos.write(file, "t_" + t.text(), value);
            NamedTensor back = TensorProtos.read(file);
            assertEquals("t_" + t.text(), back.name());
            assertEquals(value, back.value(), t.text());
        }
        DenseElementsAttr scalar = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32), 2.5);
        TensorProtos.write(dir.resolve("s.pb"), "s", scalar);
        assertEquals(scalar, TensorProtos.read(dir.resolve("s.pb")).value());
    }

    @Test
    void rejectsStringTensorsNamingTheTensorAndType() {
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> read("test_cast_FLOAT_to_STRING", "output_0.pb"));
        assertTrue(e.getMessage().contains("tensor 'output' has unsupported element type STRING; supported: FLOAT (f32)"),
                e.getMessage());
        DiagnosticException complex = assertThrows(DiagnosticException.class,
                () -> decode(proto(DataType.COMPLEX64, 1).addFloatData(1).addFloatData(2)));
        assertTrue(complex.getMessage().contains("unsupported element type COMPLEX64"), complex.getMessage());
    }

    @Test
    void rejectsDataThatDoesNotFitTheShape() {
        DiagnosticException few = assertThrows(DiagnosticException.class,
                () -> decode(proto(DataType.FLOAT, 2, 2).addFloatData(1).addFloatData(2).addFloatData(3)));
        assertEquals("t.pb: error: tensor 't' has 3 values in float_data but tensor<2x2xf32> has 4 elements",
                few.getMessage());
        DiagnosticException none = assertThrows(DiagnosticException.class, () -> decode(proto(DataType.INT64, 3)));
        assertTrue(none.getMessage().contains("holds no data (neither raw_data nor int64_data)"), none.getMessage());
        DiagnosticException raw = assertThrows(DiagnosticException.class,
                () -> decode(proto(DataType.FLOAT, 2).setRawData(ByteString.copyFrom(new byte[7]))));
        assertTrue(raw.getMessage().contains("has 7 bytes of raw_data but tensor<2xf32> needs 8"), raw.getMessage());
        DiagnosticException negative = assertThrows(DiagnosticException.class, () -> decode(proto(DataType.FLOAT, 2, -3)));
        assertTrue(negative.getMessage().contains("has dimension -3"), negative.getMessage());
        DiagnosticException huge = assertThrows(DiagnosticException.class,
                () -> decode(proto(DataType.FLOAT, 1L << 31, 1L << 31)));
        assertTrue(huge.getMessage().contains("larger than 2 GiB"), huge.getMessage());
    }

    @Test
    void rejectsBytesThatAreNotATensorProto() {
        DiagnosticException e = assertThrows(DiagnosticException.class,
                () -> TensorProtos.fromBytes(new byte[] {(byte) 0xff, (byte) 0xff, 1}, "junk.pb", null));
        assertTrue(e.getMessage().startsWith("junk.pb: error: not a valid ONNX TensorProto (truncated or corrupt protobuf at byte"),
                e.getMessage());
        DiagnosticException empty = assertThrows(DiagnosticException.class,
                () -> TensorProtos.fromBytes(new byte[0], "empty.pb", null));
        assertEquals("empty.pb: error: not a valid ONNX TensorProto (it has no data_type)", empty.getMessage());
    }

    @Test
    void recognizesSequenceAndOptionalTestDataAsNotTensors() {
        for (String test : new String[] {"test_identity_sequence", "test_identity_opt", "test_optional_has_element_empty"}) {
            DiagnosticException e = assertThrows(DiagnosticException.class, () -> read(test, "input_0.pb"), test);
            assertTrue(e.getMessage().endsWith("error: holds an ONNX sequence, map or optional value (SequenceProto,"
                    + " MapProto or OptionalProto), not a tensor; Lathe reads only TensorProto files"), e.getMessage());
        }
    }

    private static TensorProto.Builder proto(DataType type, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName("t").setDataType(type.getNumber());
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }

    private static DenseElementsAttr decode(TensorProto.Builder b) {
        return TensorProtos.fromProto(b.build(), "t.pb", null).value();
    }

    private static DenseElementsAttr dense(ScalarType t, long[] shape, double... values) {
        return DenseElementsAttr.fromDoubles(TensorType.of(t, shape), values);
    }
}
