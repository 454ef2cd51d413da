package dev.lathe.frontend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .npy} files as NumPy writes them. */
class NpyTest {

    /** A file laid out as numpy.save writes it: magic, version, header padded to 64 bytes, data. */
    private static byte[] npy(int major, String header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        int prefix = major == 1 ? 10 : 12;
        StringBuilder h = new StringBuilder(header);
        while ((prefix + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) h.length());
        } else {
            len.putInt(h.length());
        }
        out.writeBytes(len.array());
        out.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    @Test
    void readsAFloatArrayAsNumpyWritesIt() {
        byte[] file = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                floats(1, 2, 3, 4, 5, -6.5f));
        DenseElementsAttr v = Npy.fromBytes(file, "x.npy");
        assertEquals(TensorType.of(ScalarType.F32, 2, 3), v.type());
        assertEquals(-6.5, v.getDouble(5));
        assertEquals(2.0, v.getDouble(1));
    }

    @Test
    void readsScalarsOneDimArraysBoolsAndVersion2Headers() {
        DenseElementsAttr scalar = Npy.fromBytes(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).array()), "s.npy");
        assertEquals(TensorType.of(ScalarType.F64), scalar.type());
        assertEquals(0.25, scalar.getDouble(0));

        DenseElementsAttr bools = Npy.fromBytes(npy(2, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
                new byte[] {1, 0, 1}), "b.npy");
        assertEquals(TensorType.of(ScalarType.I1, 3), bools.type());
        assertEquals(0, bools.getLong(1));

        DenseElementsAttr longs = Npy.fromBytes(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-9).array()), "l.npy");
        assertEquals(-9, longs.getLong(0));
    }

    @Test
    void writesAndReadsBackEveryDtype(@TempDir Path dir) throws Exception {
        for (ScalarType t : new ScalarType[] {ScalarType.F64, ScalarType.F32, ScalarType.F16, ScalarType.I64,
                ScalarType.I32, ScalarType.I16, ScalarType.I8, ScalarType.U8, ScalarType.I1}) {
            DenseElementsAttr value = DenseElementsAttr.fromDoubles(TensorType.of(t, 2, 2), 1, 0, 1, 1);
            Path file = dir.resolve(t.text() + ".npy");
            Npy.write(file, value);
            assertEquals(value, Npy.read(file), t.text());
            assertEquals(0, (Files.size(file) - 4 * t.byteSize()) % 64, "header padded to 64 bytes");
        }
    }

    @Test
    void rejectsWhatItCannotReadWithAClearMessage() {
        assertError("big-endian", npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", floats(1)),
                "unsupported .npy dtype '>f4'");
        assertError("complex", npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]),
                "unsupported .npy dtype '<c8'");
        assertError("fortran", npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", floats(1)),
                "Fortran order");
        assertError("short", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", floats(1)),
                "the .npy data has 4 bytes but tensor<2xf32> needs 8");
        assertError("magic", "not numpy at all".getBytes(StandardCharsets.US_ASCII), "not a .npy file");
    }

    private static void assertError(String what, byte[] file, String expected) {
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> Npy.fromBytes(file, what + ".npy"), what);
        assertTrue(e.getMessage().startsWith(what + ".npy: error: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
