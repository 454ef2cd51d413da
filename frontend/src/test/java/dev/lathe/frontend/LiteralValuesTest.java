package dev.lathe.frontend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.attr.SymbolRefAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.attr.UnitAttr;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Literals read as the values they denote, not merely as text that prints back the same. */
class LiteralValuesTest {

    /** The attribute {@code key} of the single top-level op of {@code "x.y"() {ATTRS} : () -> ()}. */
    private static Attribute attr(String attrs, String key) {
        Module m = IRParser.parse("\"x.y\"() {" + attrs + "} : () -> ()", "t.lir");
        return m.body().first().attr(key);
    }

    @Test
    void integersDefaultToI64AndHexIsABitPattern() {
        assertEquals(IntegerAttr.of(-2), attr("v = -2", "v"));
        assertEquals(IntegerAttr.of(31), attr("v = 0x1F", "v"));
        assertEquals(IntegerAttr.of(-1), attr("v = 0xFFFFFFFFFFFFFFFF", "v"));
        assertEquals(new IntegerAttr(-1, ScalarType.I8), attr("v = 0xFF : i8", "v"));
        assertEquals(new IntegerAttr(255, ScalarType.U8), attr("v = 0xFF : u8", "v"));
        assertEquals(new IntegerAttr(7, ScalarType.INDEX), attr("v = 7 : index", "v"));
    }

    @Test
    void floatsAreRoundedOnceToTheirType() {
        assertEquals(FloatAttr.of(1000.0), attr("v = 1e3", "v"));
        assertEquals(new FloatAttr(0.1f, ScalarType.F32), attr("v = 0.1 : f32", "v"));
        assertEquals(Float.floatToFloat16(0.1f),
                Float.floatToFloat16((float) ((FloatAttr) attr("v = 0.1 : f16", "v")).value()));
        FloatAttr nan = (FloatAttr) attr("v = 0x7FC00000 : f32", "v");
        assertTrue(Double.isNaN(nan.value()));
        assertEquals(new FloatAttr(Double.NEGATIVE_INFINITY, ScalarType.BF16), attr("v = 0xFF80 : bf16", "v"));
        double negativeZero = ((FloatAttr) attr("v = -0.0", "v")).value();
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(negativeZero));
    }

    @Test
    void stringEscapesAreTheInverseOfQuote() {
        String raw = "q\" b\\ n\n t\t c\u0001\u001b\u007f é";
        assertEquals(new StringAttr(raw), attr("v = " + StringAttr.quote(raw), "v"));
        assertEquals(new StringAttr("\u001bA"), attr("v = \"\\1bA\"", "v"));
    }

    @Test
    void otherAttributeKinds() {
        assertEquals(UnitAttr.INSTANCE, attr("flag", "flag"));
        assertEquals(UnitAttr.INSTANCE, attr("\"quoted key\" = unit", "quoted key"));
        assertEquals(new ArrayAttr(List.of(IntegerAttr.of(1), ArrayAttr.ofLongs(2, 3), new StringAttr("a"))),
                attr("v = [1, [2, 3], \"a\"]", "v"));
        assertEquals(new SymbolRefAttr("a b"), attr("v = @\"a b\"", "v"));
        Type fn = FunctionType.of(List.of(ScalarType.F32), List.of(ScalarType.F32, TensorType.of(ScalarType.I1)));
        assertSame(fn, ((TypeAttr) attr("v = (f32) -> (f32, tensor<i1>)", "v")).type());
        assertSame(TensorType.of(ScalarType.BF16, 2, TensorType.DYNAMIC, 4),
                ((TypeAttr) attr("v = tensor<2x?x4xbf16>", "v")).type());
    }

    @Test
    void denseLiteralsDenoteTheirElements() {
        DenseElementsAttr list =
                (DenseElementsAttr) attr("v = dense<[[1, 2.5], [0x7F800000, -0.0]]> : tensor<2x2xf32>", "v");
        assertArrayEquals(new double[] {1.0, 2.5, Double.POSITIVE_INFINITY, -0.0}, list.toDoubles());
        DenseElementsAttr splat = (DenseElementsAttr) attr("v = dense<\"0x0000803F\"> : tensor<3xf32>", "v");
        assertTrue(splat.isSplat());
        assertEquals(DenseElementsAttr.splat(TensorType.of(ScalarType.F32, 3), 1.0), splat);
        DenseElementsAttr bits = (DenseElementsAttr) attr("v = dense<[true, 0, 1]> : tensor<3xi1>", "v");
        assertArrayEquals(new long[] {1, 0, 1}, bits.toLongs());
        DenseElementsAttr bytes = (DenseElementsAttr) attr("v = dense<[255, 0xFF]> : tensor<2xu8>", "v");
        assertArrayEquals(new long[] {255, 255}, bytes.toLongs());
        DenseElementsAttr half = (DenseElementsAttr) attr("v = dense<[0x7E00, 65504.0]> : tensor<2xf16>", "v");
        assertTrue(Double.isNaN(half.getDouble(0)));
        assertEquals(65504.0, half.getDouble(1));
    }

    @Test
    void resourceSectionFillsTheModuleTable() {
        Module m = IRParser.parse("""
                "x.y"() {v = dense_resource<w> : tensor<2xi16>} : () -> ()
                {-# dialect_resources: { builtin: { w: "0x08000000FF7F0080" }, other: { "x y": "0x01000000" } } #-}
                """, "t.lir");
        assertEquals(new ResourceBlob(new byte[] {(byte) 0xFF, 0x7F, 0x00, (byte) 0x80}, 8), m.resource("w"));
        assertEquals(new ResourceBlob(new byte[0], 1), m.resource("x y"));
        assertEquals(new DenseResourceAttr("w", TensorType.of(ScalarType.I16, 2)), m.body().first().attr("v"));
    }

    @Test
    void locationsReadAsTheirKinds() {
        Module m = IRParser.parse("""
                "a.b"() : () -> () loc("f.lir":3:5)
                "a.b"() : () -> () loc("node")
                "a.b"() : () -> () loc(unknown)
                  "a.b"() : () -> ()
                """, "t.lir");
        List<Location> locs = m.body().operations().stream().map(Operation::location).toList();
        assertEquals(List.of(Location.of("f.lir", 3, 5), Location.name("node"), Location.UNKNOWN,
                Location.of("t.lir", 4, 3)), locs);
    }
}
