package dev.lathe.frontend.onnx;

import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (versions 1 to 3), little-endian and C order, for the dtypes Lathe
 * has: {@code f8 f4 f2 i8 i4 i2 i1 u1 b1}. bf16 has no NumPy dtype and cannot be written.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private static final Map<String, ScalarType> DTYPES = Map.of(
            "f8", ScalarType.F64, "f4", ScalarType.F32, "f2", ScalarType.F16,
            "i8", ScalarType.I64, "i4", ScalarType.I32, "i2", ScalarType.I16, "i1", ScalarType.I8,
            "u1", ScalarType.U8, "b1", ScalarType.I1);

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads a {@code .npy} file; a malformed or unsupported file is a {@link DiagnosticException} naming it. */
    public static DenseElementsAttr read(Path file) throws IOException {
        return fromBytes(Files.readAllBytes(file), file.toString());
    }

    /** Decodes the bytes of a {@code .npy} file; {@code source} names it in messages. */
    public static DenseElementsAttr fromBytes(byte[] bytes, String source) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
            throw error(source, "not a .npy file (it does not start with \\x93NUMPY)");
        }
        int major = bytes[6];
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw error(source, "truncated .npy header");
            }
            headerLength = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw error(source, ".npy format version " + major + " is not supported (expected 1, 2 or 3)");
        }
        if (headerStart + headerLength > bytes.length) {
            throw error(source, "truncated .npy header");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ScalarType element = dtype(header, source);
        Matcher fortran = FORTRAN.matcher(header);
        if (!fortran.find()) {
            throw error(source, "the .npy header has no 'fortran_order': " + header.strip());
        }
        if (fortran.group(1).equals("True")) {
            throw error(source, "the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
        }
        TensorType type = TensorType.of(shape(header, source), element);
        int dataStart = headerStart + (int) headerLength;
        long expected;
        try {
            expected = Math.multiplyExact(type.numElements(), element.byteSize());
        } catch (ArithmeticException e) {
            throw error(source, "the .npy shape " + type.text() + " has more elements than fit in 64 bits");
        }
        if (bytes.length - dataStart != expected) {
            throw error(source, "the .npy data has " + (bytes.length - dataStart) + " bytes but " + type.text()
                    + " needs " + expected);
        }
        byte[] data = Arrays.copyOfRange(bytes, dataStart, bytes.length);
        if (element == ScalarType.I1) {
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (data[i] != 0 ? 1 : 0);
            }
        }
        return DenseElementsAttr.fromBytes(type, data);
    }

    private static ScalarType dtype(String header, String source) {
        Matcher m = DESCR.matcher(header);
        if (!m.find()) {
            throw error(source, "the .npy header has no 'descr': " + header.strip());
        }
        String descr = m.group(1);
        char order = descr.isEmpty() ? '?' : descr.charAt(0);
        String code = descr.length() > 1 ? descr.substring(1) : "";
        ScalarType t = DTYPES.get(code);
        boolean littleOrNone = order == '<' || order == '|' || (order == '=' && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        if (t == null || !littleOrNone || (t.byteSize() > 1 && order == '|')) {
            throw error(source, "unsupported .npy dtype '" + descr + "'; supported: little-endian f8 f4 f2 i8 i4 i2 i1 u1 b1");
        }
        return t;
    }

    private static List<Long> shape(String header, String source) {
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw error(source, "the .npy header has no 'shape': " + header.strip());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : m.group(1).split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw error(source, "the .npy shape (" + m.group(1) + ") has a bad dimension '" + p + "'");
            }
        }
        return dims;
    }

    /** Writes {@code value} as a version 1.0 {@code .npy} file. */
    public static void write(Path file, DenseElementsAttr value) throws IOException {
        Files.write(file, toBytes(value));
    }

    /** The bytes of a version 1.0 {@code .npy} file holding {@code value}. */
    public static byte[] toBytes(DenseElementsAttr value) {
        String code = null;
        for (Map.Entry<String, ScalarType> e : DTYPES.entrySet()) {
            if (e.getValue() == value.elementType()) {
                code = e.getKey();
            }
        }
        if (code == null) {
            throw new IllegalArgumentException(value.elementType().text() + " has no .npy dtype");
        }
        String order = value.elementType().byteSize() == 1 ? "|" : "<";
        StringBuilder shape = new StringBuilder();
        for (long d : value.type().shapeArray()) {
            shape.append(d).append(", ");
        }
        if (value.type().rank() > 1) {
            shape.setLength(shape.length() - 2);
        } else if (value.type().rank() == 1) {
            shape.setLength(shape.length() - 1);
        }
        StringBuilder header = new StringBuilder("{'descr': '" + order + code + "', 'fortran_order': False, 'shape': ("
                + shape + "), }");
        // Pad with spaces so the data starts at a multiple of 64 bytes, ending with a newline.
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write(header.length() >>> 8);
        out.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(value.toBytes());
        return out.toByteArray();
    }

    private static DiagnosticException error(String source, String message) {
        return OnnxDiagnostics.error(source, message);
    }
}
