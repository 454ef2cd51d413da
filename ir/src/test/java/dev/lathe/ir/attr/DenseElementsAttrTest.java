package dev.lathe.ir.attr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import org.junit.jupiter.api.Test;

class DenseElementsAttrTest {

    @Test
    void equalElementsAreStoredAsOneSplat() {
        TensorType t = TensorType.of(ScalarType.F32, 2, 2);
        DenseElementsAttr listed = DenseElementsAttr.fromDoubles(t, 1.5, 1.5, 1.5, 1.5);
        DenseElementsAttr splat = DenseElementsAttr.splat(t, 1.5);
        assertTrue(listed.isSplat());
        assertEquals(splat, listed);
        assertEquals(splat.hashCode(), listed.hashCode());
        assertEquals("dense<1.5> : tensor<2x2xf32>", listed.text());
    }

    @Test
    void narrowFloatTypesRoundToNearestEven() {
        DenseElementsAttr h = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F16, 2), 1.0 + 1.0 / 4096, 65520.0);
        assertEquals(1.0, h.getDouble(0));
        assertEquals(Double.POSITIVE_INFINITY, h.getDouble(1));
        DenseElementsAttr b = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.BF16, 1), 1.00390625);
        assertEquals(1.0, b.getDouble(0));
    }

    @Test
    void integersWrapAndUnsignedReadsBackPositive() {
        DenseElementsAttr u = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.U8, 2), 255, 256);
        assertEquals(255, u.getLong(0));
        assertEquals(0, u.getLong(1));
        DenseElementsAttr i = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I8, 1), 200);
        assertEquals(-56, i.getLong(0));
    }

    @Test
    void largeTensorsPrintInHexAndSmallOnesAsNestedLists() {
        TensorType small = TensorType.of(ScalarType.I32, 2, 2);
        assertEquals("dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>", DenseElementsAttr.fromLongs(small, 1, 2, 3, 4).text());
        long n = DenseElementsAttr.MAX_LISTED_ELEMENTS + 1;
        long[] values = new long[(int) n];
        for (int k = 0; k < n; k++) {
            values[k] = k;
        }
        String text = DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I8, n), values).text();
        assertTrue(text.startsWith("dense<\"0x000102"), text.substring(0, 20));
    }

    @Test
    void specialFloatsPrintAsHexBits() {
        DenseElementsAttr d = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 3), Double.NaN, -0.0, 1e-5);
        assertEquals("dense<[0x7FC00000, -0.0, 1.0e-5]> : tensor<3xf32>", d.text());
    }

    @Test
    void nanPayloadsPrintFromTheirStoredBits() {
        byte[] signaling = {0x01, 0x00, (byte) 0x80, 0x7F}; // f32 0x7F800001
        DenseElementsAttr d = DenseElementsAttr.fromBytes(TensorType.of(ScalarType.F32, 2), new byte[] {
                signaling[0], signaling[1], signaling[2], signaling[3], 0, 0, 0, 0});
        assertEquals("dense<[0x7F800001, 0.0]> : tensor<2xf32>", d.text());
    }

    @Test
    void emptyTensorsHaveOneRepresentation() {
        TensorType empty = TensorType.of(ScalarType.F32, 0);
        assertEquals(DenseElementsAttr.splat(empty, 3.0), DenseElementsAttr.fromDoubles(empty));
        assertEquals("dense<[]> : tensor<0xf32>", DenseElementsAttr.splat(empty, 3.0).text());
    }

    @Test
    void dynamicShapesAndWrongSizesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, TensorType.DYNAMIC), 1.0, 2.0));
        assertThrows(IllegalArgumentException.class,
                () -> DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 3), 1.0, 2.0));
    }

    @Test
    void typesAreInterned() {
        assertSame(TensorType.of(ScalarType.F32, 2, TensorType.DYNAMIC), TensorType.of(ScalarType.F32, 2, TensorType.DYNAMIC));
        assertEquals("tensor<2x?xf32>", TensorType.of(ScalarType.F32, 2, TensorType.DYNAMIC).text());
        assertFalse(TensorType.of(ScalarType.F32, 2).isCompatibleWith(TensorType.of(ScalarType.F32, 3)));
        assertTrue(TensorType.of(ScalarType.F32, 2).isCompatibleWith(TensorType.of(ScalarType.F32, TensorType.DYNAMIC)));
    }
}
