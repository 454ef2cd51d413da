package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reference semantics of the shape and data-movement ops, on hand-checked numbers. */
class ShapeOpsEvaluateTest {

    private static final DenseElementsAttr M23 = doubles("tensor<2x3xf32>", 1, 2, 3, 4, 5, 6);

    private static void assertValues(String type, double[] expected, DenseElementsAttr actual) {
        assertEquals(tensor(type), actual.type());
        assertArrayEquals(expected, actual.toDoubles());
    }

    @Test
    void sliceWithNegativeStepsReversesAndClamps() {
        DenseElementsAttr r = evaluate("nn.slice", M23, longs("tensor<2xi64>", 100, -1),
                longs("tensor<2xi64>", -100, -100), longs("tensor<2xi64>", 0, 1), longs("tensor<2xi64>", -1, -2));
        assertValues("tensor<2x2xf32>", new double[] {6, 4, 3, 1}, r);
    }

    @Test
    void padModesOnIntegers() {
        DenseElementsAttr x = longs("tensor<1x3xi32>", 1, 2, 3);
        Map<String, Attribute> pads = Map.of("pads", array(0, 2, 0, 1), "mode", new StringAttr("reflect"));
        assertValues("tensor<1x6xi32>", new double[] {3, 2, 1, 2, 3, 2}, evaluate("nn.pad", pads, x));
        Map<String, Attribute> edge = Map.of("pads", array(0, 2, 0, 1), "mode", new StringAttr("edge"));
        assertValues("tensor<1x6xi32>", new double[] {1, 1, 1, 2, 3, 3}, evaluate("nn.pad", edge, x));
        assertValues("tensor<1x4xi32>", new double[] {1, 2, 3, -7},
                evaluate("nn.pad", Map.of("pads", array(0, 0, 0, 1)), x, longs("tensor<i32>", -7)));
        assertValues("tensor<1x4xi32>", new double[] {-7, 1, 2, 3},
                evaluate("nn.pad", x, longs("tensor<4xi64>", 0, 1, 0, 0), longs("tensor<i32>", -7)));
    }

    @Test
    void gatherAndGatherElementsTakeNegativeIndicesFromTheEnd() {
        assertValues("tensor<2x2xf32>", new double[] {3, 1, 6, 4},
                evaluate("nn.gather", Map.of("axis", IntegerAttr.of(1)), M23, longs("tensor<2xi64>", -1, 0)));
        assertValues("tensor<2x3xf32>", new double[] {4, 2, 6, 1, 5, 3}, evaluate("nn.gather_elements", M23,
                longs("tensor<2x3xi32>", 1, 0, -1, 0, 1, 0)));
        assertThrows(IllegalArgumentException.class, () -> evaluate("nn.gather", M23, longs("tensor<1xi64>", 2)));
    }

    @Test
    void scatterReductionsWrapIntegersAndCombineDuplicates() {
        DenseElementsAttr data = longs("tensor<1x3xi8>", 100, 5, 7);
        DenseElementsAttr r = evaluate("nn.scatter_elements",
                Map.of("axis", IntegerAttr.of(1), "reduction", new StringAttr("add")), data,
                longs("tensor<1x3xi64>", 0, -3, 2), longs("tensor<1x3xi8>", 20, 10, 1));
        assertArrayEquals(new long[] {-126, 5, 8}, r.toLongs(), "100 + 20 + 10 wraps in i8");
        DenseElementsAttr nd = evaluate("nn.scatter_nd", Map.of("reduction", new StringAttr("mul")),
                doubles("tensor<2x2xf32>", 1, 2, 3, 4), longs("tensor<1x1xi64>", 1), doubles("tensor<1x2xf32>", 0.5, 10));
        assertValues("tensor<2x2xf32>", new double[] {1, 2, 1.5, 40}, nd);
    }

    @Test
    void cumsumExclusiveReverseOnFloatsAndIntegers() {
        Map<String, Attribute> attrs = Map.of("axis", IntegerAttr.of(-1), "exclusive", BoolAttr.TRUE,
                "reverse", BoolAttr.TRUE);
        assertValues("tensor<2x3xf32>", new double[] {5, 3, 0, 11, 6, 0}, evaluate("nn.cumsum", attrs, M23));
        assertArrayEquals(new long[] {100, -56, -55}, evaluate("nn.cumsum", Map.of("axis", IntegerAttr.of(0)),
                longs("tensor<3xi8>", 100, 100, 1)).toLongs(), "100 + 100 wraps in i8");
    }

    @Test
    void triluOneHotDepthToSpaceAndNonZero() {
        assertValues("tensor<2x3xf32>", new double[] {1, 0, 0, 4, 5, 0},
                evaluate("nn.trilu", Map.of("upper", BoolAttr.FALSE), M23));
        assertValues("tensor<2x3xi32>", new double[] {0, 0, 9, 9, 0, 0}, evaluate("nn.one_hot",
                Map.of("depth", IntegerAttr.of(3)), doubles("tensor<2xf32>", -1.5, 0.7), longs("tensor<2xi32>", 0, 9)));
        DenseElementsAttr d2s = evaluate("nn.depth_to_space", Map.of("block_size", IntegerAttr.of(2)),
                doubles("tensor<1x4x1x1xf32>", 1, 2, 3, 4));
        assertValues("tensor<1x1x2x2xf32>", new double[] {1, 2, 3, 4}, d2s);
        assertValues("tensor<2x3xi64>", new double[] {0, 1, 1, 1, 0, 1},
                evaluate("nn.non_zero", longs("tensor<2x2xi1>", 0, 1, 1, 1)));
    }

    @Test
    void dynamicReshapeCopiesZerosOnlyWhenAsked() {
        DenseElementsAttr x = doubles("tensor<2x3x4xf32>", new double[24]);
        assertEquals(tensor("tensor<2x12xf32>"), evaluate("nn.reshape", Map.of("copy_zero_dims", BoolAttr.TRUE), x,
                longs("tensor<2xi64>", 0, -1)).type());
        assertEquals(tensor("tensor<0x4xf32>"), evaluate("nn.reshape", Map.of(),
                doubles("tensor<0x3x4xf32>"), longs("tensor<2xi64>", 0, 4)).type());
    }

    @Test
    void splitCutsConsecutivePieces() {
        NnTestIR ir = new NnTestIR(M23.type());
        Map<String, Attribute> attrs = Map.of("axis", IntegerAttr.of(1), "split", array(1, 2));
        List<Type> types = NnTestIR.definition("nn.split").inferResultTypes(List.of(M23.type()), attrs);
        Operation op = Operation.create("nn.split", List.of(ir.arg(0)), types, attrs, Location.UNKNOWN);
        List<DenseElementsAttr> pieces = op.definition().evaluate(op, List.of(M23));
        assertValues("tensor<2x1xf32>", new double[] {1, 4}, pieces.get(0));
        assertValues("tensor<2x2xf32>", new double[] {2, 3, 5, 6}, pieces.get(1));
    }
}
