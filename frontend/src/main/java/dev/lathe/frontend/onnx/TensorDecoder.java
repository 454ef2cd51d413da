package dev.lathe.frontend.onnx;

import dev.lathe.frontend.onnx.proto.SparseTensorProto;
import dev.lathe.frontend.onnx.proto.StringStringEntryProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Decodes {@link TensorProto}s (initializers, Constant values, test data) into {@link RawTensor}s:
 * {@code raw_data}, the typed fields ({@code float_data}, {@code int32_data} holding the narrow
 * types and f16/bf16 bit patterns, {@code int64_data}, {@code double_data}), external data files
 * relative to the model's directory, and sparse tensors (densified).
 *
 * <p>Every problem is a {@link DiagnosticException} at {@code where} naming the tensor.
 */
final class TensorDecoder {

    /** The largest tensor held in memory: a Java array's limit, less headroom. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private final Path baseDir;

    /**
     * @param baseDir the directory external data is resolved against (the model's directory),
     *     or null when the model did not come from a file
     */
    TensorDecoder(Path baseDir) {
        this.baseDir = baseDir == null ? null : baseDir.toAbsolutePath().normalize();
    }

    /** Decodes a dense tensor; {@code what} names it in messages (e.g. {@code initializer 'w'}). */
    RawTensor decode(TensorProto t, String where, String what) {
        if (t.hasSegment()) {
            throw OnnxDiagnostics.error(where, what + " is a segment of a larger tensor; segmented tensors are not supported");
        }
        ScalarType element = OnnxTypes.elementType(t.getDataType());
        if (element == null) {
            throw OnnxDiagnostics.error(where, OnnxTypes.unsupportedElementType(what, t.getDataType()));
        }
        TensorType type = type(t.getDimsList(), element, where, what);
        long bytes = byteCount(type, where, what);
        byte[] data;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            data = readExternal(t, type, (int) bytes, where, what);
        } else if (t.hasRawData()) {
            if (t.getRawData().size() != bytes) {
                throw OnnxDiagnostics.error(where, what + " has " + t.getRawData().size() + " bytes of raw_data but "
                        + type.text() + " needs " + bytes);
            }
            data = t.getRawData().toByteArray();
        } else {
            data = decodeTyped(t, type, where, what);
        }
        if (element == ScalarType.I1) {
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (data[i] != 0 ? 1 : 0);
            }
        }
        return new RawTensor(type, data);
    }

    /** Densifies a sparse tensor: {@code values} at {@code indices}, zeros elsewhere. */
    RawTensor densify(SparseTensorProto s, String where, String what) {
        RawTensor values = decode(s.getValues(), where, what + " (values)");
        ScalarType element = values.type().elementType();
        TensorType type = type(s.getDimsList(), element, where, what);
        int size = element.byteSize();
        byte[] dense = new byte[(int) byteCount(type, where, what)];
        long count = type.numElements();
        long nnz = values.type().rank() == 1 ? values.type().dim(0) : -1;
        if (nnz < 0) {
            throw OnnxDiagnostics.error(where, what + " has values of type " + values.type().text() + "; expected a 1-D tensor");
        }
        RawTensor indices = decode(s.getIndices(), where, what + " (indices)");
        if (indices.type().elementType() != ScalarType.I64) {
            throw OnnxDiagnostics.error(where, what + " has indices of type " + indices.type().text() + "; expected INT64");
        }
        long[] linear = linearIndices(indices, type, nnz, where, what);
        for (int i = 0; i < nnz; i++) {
            if (linear[i] < 0 || linear[i] >= count) {
                throw OnnxDiagnostics.error(where, what + " has index " + linear[i] + " out of range for " + type.text());
            }
            System.arraycopy(values.data(), i * size, dense, (int) linear[i] * size, size);
        }
        return new RawTensor(type, dense);
    }

    /** Indices given as {@code [NNZ]} (already linear) or {@code [NNZ, rank]} (coordinates). */
    private static long[] linearIndices(RawTensor indices, TensorType type, long nnz, String where, String what) {
        ByteBuffer buf = ByteBuffer.wrap(indices.data()).order(ByteOrder.LITTLE_ENDIAN);
        TensorType it = indices.type();
        long[] linear = new long[(int) nnz];
        if (it.rank() == 1 && it.dim(0) == nnz) {
            for (int i = 0; i < nnz; i++) {
                linear[i] = buf.getLong();
            }
            return linear;
        }
        if (it.rank() == 2 && it.dim(0) == nnz && it.dim(1) == type.rank()) {
            for (int i = 0; i < nnz; i++) {
                long flat = 0;
                for (int d = 0; d < type.rank(); d++) {
                    long c = buf.getLong();
                    if (c < 0 || c >= type.dim(d)) {
                        throw OnnxDiagnostics.error(where, what + " has coordinate " + c + " out of range for dimension "
                                + d + " of " + type.text());
                    }
                    flat = flat * type.dim(d) + c;
                }
                linear[i] = flat;
            }
            return linear;
        }
        throw OnnxDiagnostics.error(where, what + " has indices of shape " + it.shape() + "; expected [" + nnz + "] or ["
                + nnz + ", " + type.rank() + "]");
    }

    private static TensorType type(List<Long> dims, ScalarType element, String where, String what) {
        for (long d : dims) {
            if (d < 0) {
                throw OnnxDiagnostics.error(where, what + " has dimension " + d + " in " + dims + "; sizes must be >= 0");
            }
        }
        return TensorType.of(dims, element);
    }

    private static long byteCount(TensorType type, String where, String what) {
        try {
            long bytes = Math.multiplyExact(type.numElements(), (long) type.elementType().byteSize());
            if (bytes <= MAX_BYTES) {
                return bytes;
            }
        } catch (ArithmeticException e) {
            // falls through to the error below
        }
        throw OnnxDiagnostics.error(where, what + " of type " + type.text() + " is larger than 2 GiB, which Lathe cannot hold");
    }

    private static byte[] decodeTyped(TensorProto t, TensorType type, String where, String what) {
        ScalarType element = type.elementType();
        int n = (int) type.numElements();
        ByteBuffer out = ByteBuffer.allocate(n * element.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        String field;
        int count;
        switch (element) {
            case F32 -> {
                field = "float_data";
                count = t.getFloatDataCount();
                checkCount(field, count, n, type, where, what);
                t.getFloatDataList().forEach(out::putFloat);
            }
            case F64 -> {
                field = "double_data";
                count = t.getDoubleDataCount();
                checkCount(field, count, n, type, where, what);
                t.getDoubleDataList().forEach(out::putDouble);
            }
            case I64 -> {
                field = "int64_data";
                count = t.getInt64DataCount();
                checkCount(field, count, n, type, where, what);
                t.getInt64DataList().forEach(out::putLong);
            }
            default -> {
                // int32_data carries i32 and every narrower type, f16/bf16 as their bit patterns.
                field = "int32_data";
                count = t.getInt32DataCount();
                checkCount(field, count, n, type, where, what);
                for (int v : t.getInt32DataList()) {
                    switch (element.byteSize()) {
                        case 4 -> out.putInt(v);
                        case 2 -> out.putShort((short) v);
                        default -> out.put((byte) v);
                    }
                }
            }
        }
        return out.array();
    }

    private static void checkCount(String field, int count, int n, TensorType type, String where, String what) {
        if (count == n) {
            return;
        }
        if (count == 0) {
            throw OnnxDiagnostics.error(where, what + " of type " + type.text() + " holds no data (neither raw_data nor "
                    + field + ")");
        }
        throw OnnxDiagnostics.error(where, what + " has " + count + " values in " + field + " but " + type.text()
                + " has " + n + " elements");
    }

    private byte[] readExternal(TensorProto t, TensorType type, int bytes, String where, String what) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = number(e, where, what);
                case "length" -> length = number(e, where, what);
                default -> { } // "checksum" and future keys are not needed to read the data
            }
        }
        if (location == null || location.isEmpty()) {
            throw OnnxDiagnostics.error(where, what + " is stored externally but its external_data has no 'location'");
        }
        if (length >= 0 && length != bytes) {
            throw OnnxDiagnostics.error(where, what + " has external data of length " + length + " but "
                    + type.text() + " needs " + bytes);
        }
        Path file = resolveExternal(location, where, what);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + bytes > ch.size()) {
                throw OnnxDiagnostics.error(where, what + " needs bytes " + offset + ".." + (offset + bytes) + " of '" + location
                        + "', which has only " + ch.size() + " bytes");
            }
            ByteBuffer buf = ByteBuffer.allocate(bytes);
            long pos = offset;
            while (buf.hasRemaining()) {
                int read = ch.read(buf, pos);
                if (read < 0) {
                    throw OnnxDiagnostics.error(where, what + ": unexpected end of external data file '" + location + "'");
                }
                pos += read;
            }
            return buf.array();
        } catch (NoSuchFileException e) {
            throw OnnxDiagnostics.error(where, what + " is stored in external data file '" + location
                    + "', which does not exist (looked for " + file + ")");
        } catch (IOException e) {
            throw OnnxDiagnostics.error(where, what + ": cannot read external data file '" + location + "': " + e.getMessage());
        }
    }

    /** The external file, which must lie inside the model's directory (no absolute paths, no {@code ..} escapes). */
    private Path resolveExternal(String location, String where, String what) {
        if (baseDir == null) {
            throw OnnxDiagnostics.error(where, what + " is stored in external data file '" + location
                    + "', but the model was not read from a file, so there is no directory to find it in");
        }
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw OnnxDiagnostics.error(where, what + " has an invalid external data location '" + location + "'");
        }
        Path file = baseDir.resolve(relative).normalize();
        if (relative.isAbsolute() || !file.startsWith(baseDir) || file.equals(baseDir)) {
            throw OnnxDiagnostics.error(where, what + " has external data location '" + location
                    + "' outside the model's directory " + baseDir + "; locations must be relative paths inside it");
        }
        try {
            // Symbolic links must not lead out of the directory either.
            if (!file.toRealPath().startsWith(baseDir.toRealPath())) {
                throw OnnxDiagnostics.error(where, what + " has external data location '" + location
                        + "' that links outside the model's directory " + baseDir);
            }
        } catch (IOException e) {
            // A missing file is reported when it is opened.
        }
        return file;
    }

    private static long number(StringStringEntryProto e, String where, String what) {
        try {
            long v = Long.parseLong(e.getValue().trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw OnnxDiagnostics.error(where, what + " has external_data '" + e.getKey() + "' = '" + e.getValue()
                + "'; expected a non-negative integer");
    }
}
