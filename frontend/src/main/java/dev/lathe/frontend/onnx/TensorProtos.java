package dev.lathe.frontend.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.ir.attr.DenseElementsAttr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes single tensors in ONNX's {@code TensorProto} format: the {@code .pb} files of
 * ONNX's test data ({@code test_data_set_0/input_0.pb}) and what {@code lathe run} writes.
 * Element types as in {@link OnnxTypes}; data in {@code raw_data}, the typed fields or an
 * external file next to the {@code .pb}. Writing always uses {@code raw_data}.
 */
public final class TensorProtos {

    private TensorProtos() {}

    /** Reads a {@code .pb} file; problems with its content are {@link dev.lathe.ir.DiagnosticException}s naming the file. */
    public static NamedTensor read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return fromBytes(bytes, file.toString(), file.toAbsolutePath().getParent());
    }

    /**
     * Decodes a serialized {@code TensorProto}; {@code source} names it in messages and
     * {@code baseDir} (nullable) is where external data is looked for.
     */
    public static NamedTensor fromBytes(byte[] bytes, String source, Path baseDir) {
        TensorProto proto;
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        try {
            proto = TensorProto.parseFrom(in);
        } catch (IOException e) { // from a byte array, always an InvalidProtocolBufferException
            throw OnnxDiagnostics.error(source, "not a valid ONNX TensorProto (truncated or corrupt protobuf at byte "
                    + in.getTotalBytesRead() + " of " + bytes.length + ")");
        }
        if (looksLikeSequenceOrOptional(bytes, proto)) {
            throw OnnxDiagnostics.error(source, "holds an ONNX sequence, map or optional value (SequenceProto, MapProto"
                    + " or OptionalProto), not a tensor; Lathe reads only TensorProto files");
        }
        if (!proto.hasDataType()) {
            throw OnnxDiagnostics.error(source, "not a valid ONNX TensorProto (it has no data_type)");
        }
        return fromProto(proto, source, baseDir);
    }

    /**
     * ONNX's test data stores sequences and optionals in the same {@code .pb} files, as messages
     * that also parse as a TensorProto: their name (field 1, a string) reads as packed dims and
     * their element (field 3, a message) as a segment. Writers of real tensors never pack dims
     * (proto2) nor use segments, so either sign means "not a tensor".
     */
    private static boolean looksLikeSequenceOrOptional(byte[] bytes, TensorProto proto) {
        if (proto.hasSegment()) {
            return true;
        }
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == ((TensorProto.DIMS_FIELD_NUMBER << 3) | 2)) {
                    return true; // a string name where a tensor has varint dims
                }
                in.skipField(tag);
            }
        } catch (IOException e) {
            return false; // it parsed once already; a second reading cannot fail
        }
        return false;
    }

    /** Decodes a parsed {@code TensorProto}. */
    public static NamedTensor fromProto(TensorProto proto, String source, Path baseDir) {
        String what = proto.getName().isEmpty() ? "tensor" : "tensor '" + proto.getName() + "'";
        RawTensor raw = new TensorDecoder(baseDir).decode(proto, source, what);
        return new NamedTensor(proto.getName(), raw.toAttr());
    }

    /** The {@code TensorProto} of a value, with its elements in {@code raw_data}. */
    public static TensorProto toProto(String name, DenseElementsAttr value) {
        TensorProto.Builder b = TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxTypes.dataType(value.elementType()).getNumber())
                .setRawData(ByteString.copyFrom(value.toBytes()));
        for (long d : value.type().shapeArray()) {
            b.addDims(d);
        }
        return b.build();
    }

    /** Writes {@code value} as a {@code .pb} file named {@code name} inside. */
    public static void write(Path file, String name, DenseElementsAttr value) throws IOException {
        Files.write(file, toProto(name, value).toByteArray());
    }
}
