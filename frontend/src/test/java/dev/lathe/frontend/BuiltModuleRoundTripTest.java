package dev.lathe.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Block;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The round-trip property on modules built through the IR API rather than written as text. */
class BuiltModuleRoundTripTest {

    @TestFactory
    Stream<DynamicTest> randomModulesRoundTrip() {
        return LongStream.range(0, 200).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed,
                () -> RoundTripTest.assertRoundTrips(RandomModules.generate(seed), "random-" + seed + ".lir")));
    }

    /** A module with one function whose body holds one op carrying {@code attrs}. */
    private static Module moduleWith(Map<String, Attribute> attrs) {
        Module m = Module.create();
        Operation fn = FuncOps.createFunc("f", FunctionType.of(List.of(), List.of()), Location.UNKNOWN);
        FuncOps.body(fn).append(Operation.create("test.op", List.of(), List.of(), attrs, Location.UNKNOWN));
        m.body().append(fn);
        return m;
    }

    private static Attribute reparsedAttr(Module m, String key) {
        Module back = IRParser.parse(IRPrinter.print(m), "t.lir");
        return FuncOps.body(back.functions().get(0)).first().attr(key);
    }

    @Test
    void f64NanAndInfinitiesStayFloats() {
        for (double v : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            Module m = moduleWith(Map.of("v", FloatAttr.of(v)));
            RoundTripTest.assertRoundTrips(m, "nan.lir");
            assertEquals(FloatAttr.of(v), reparsedAttr(m, "v"));
        }
    }

    @Test
    void unnamedAndOddlyNamedValuesGetStableNames() {
        Module m = Module.create();
        TensorType t = TensorType.of(ScalarType.F32, 2);
        Operation fn = FuncOps.createFunc("f", FunctionType.of(List.of(t, t), List.of(t)), Location.UNKNOWN);
        Block body = FuncOps.body(fn);
        body.argument(1).setNameHint("a b");
        Operation a = Operation.create("test.a", List.of(body.argument(0)), List.of(t, t), Map.of(), Location.UNKNOWN);
        a.result(0).setNameHint("1x");
        Operation b = Operation.create("test.b", List.of(a.result(1), body.argument(1)), List.of(t), Map.of(),
                Location.UNKNOWN);
        b.result(0).setNameHint("a b");
        body.append(a);
        body.append(b);
        body.append(FuncOps.createReturn(List.of(b.result(0)), Location.UNKNOWN));
        m.body().append(fn);
        String printed = RoundTripTest.assertRoundTrips(m, "names.lir");
        assertTrue(printed.contains("func.func @f(%arg0: tensor<2xf32>, %a_b: tensor<2xf32>)"), printed);
        assertTrue(printed.contains("%_1x:2 = \"test.a\"(%arg0)"), printed);
        assertTrue(printed.contains("%a_b_1 = \"test.b\"(%_1x#1, %a_b)"), printed);
    }

    @Test
    void largeDenseTensorsUseTheHexFormAndReadBackExactly() {
        Random random = new Random(7);
        long n = DenseElementsAttr.MAX_LISTED_ELEMENTS + 1;
        for (ScalarType et : List.of(ScalarType.F32, ScalarType.F16, ScalarType.BF16, ScalarType.F64, ScalarType.I1,
                ScalarType.U8, ScalarType.I8, ScalarType.I64)) {
            TensorType type = TensorType.of(et, n);
            double[] values = new double[(int) n];
            for (int i = 0; i < n; i++) {
                values[i] = et == ScalarType.I1 ? random.nextInt(2) : et.isFloat() ? random.nextGaussian()
                        : random.nextInt(100) - (et == ScalarType.U8 ? 0 : 50);
            }
            values[3] = et.isFloat() ? Double.NaN : 1;
            DenseElementsAttr dense = DenseElementsAttr.fromDoubles(type, values);
            Module m = moduleWith(Map.of("value", dense));
            String printed = RoundTripTest.assertRoundTrips(m, "big.lir");
            assertTrue(printed.contains("dense<\"0x"), "hex form expected for " + type);
            assertEquals(dense, reparsedAttr(m, "value"));
        }
        TensorType listed = TensorType.of(ScalarType.F32, DenseElementsAttr.MAX_LISTED_ELEMENTS);
        double[] ramp = new double[(int) DenseElementsAttr.MAX_LISTED_ELEMENTS];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i * 0.25;
        }
        Module m = moduleWith(Map.of("value", DenseElementsAttr.fromDoubles(listed, ramp)));
        assertTrue(RoundTripTest.assertRoundTrips(m, "listed.lir").contains("dense<[0.0, 0.25, 0.5"));
    }

    @Test
    void largeResourceBlobsParseInLinearTime() {
        byte[] data = new byte[16 << 20];
        new Random(1).nextBytes(data);
        Module m = Module.create();
        m.putResource("weights", new ResourceBlob(data, 64));
        TensorType type = TensorType.of(ScalarType.F32, data.length / 4);
        Operation fn = FuncOps.createFunc("f", FunctionType.of(List.<Type>of(), List.<Type>of(type)), Location.UNKNOWN);
        Operation c = Operation.create("nn.constant", List.of(), List.of(type),
                Map.of("value", new DenseResourceAttr("weights", type)), Location.UNKNOWN);
        FuncOps.body(fn).append(c);
        FuncOps.body(fn).append(FuncOps.createReturn(List.of(c.result()), Location.UNKNOWN));
        m.body().append(fn);
        String text = IRPrinter.print(m);

        long start = System.nanoTime();
        Module back = IRParser.parse(text, "blob.lir");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(m.resource("weights"), back.resource("weights"));
        assertEquals(text, IRPrinter.print(back));
        // 32 MiB of hex; a quadratic step would take minutes, linear work well under this bound.
        assertTrue(seconds < 20, "parsing a 32 MiB blob took " + seconds + " s");
    }
}
