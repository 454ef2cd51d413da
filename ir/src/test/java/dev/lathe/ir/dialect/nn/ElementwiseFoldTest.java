package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.fold;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.FoldResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElementwiseFoldTest {

    /** Folds {@code x OP c} (or {@code c OP x} when {@code constantFirst}) where x is an argument of type {@code xType}. */
    private static List<FoldResult> foldWithConstant(String name, String xType, DenseElementsAttr c,
            boolean constantFirst) {
        NnTestIR ir = new NnTestIR(tensor(xType));
        Value k = ir.constant(c).result();
        Value x = ir.arg(0);
        Operation op = constantFirst ? ir.op(name, Map.of(), k, x) : ir.op(name, Map.of(), x, k);
        assertEquals(List.of(), ir.errors());
        List<FoldResult> r = fold(op);
        if (r != null) {
            assertEquals(List.of(FoldResult.existing(x)), r, "folds to the non-constant operand");
        }
        return r;
    }

    @Test
    void addOfNegativeZeroFoldsOnEitherSide() {
        assertEquals(1, foldWithConstant("nn.add", "tensor<2x3xf32>", doubles("tensor<2x3xf32>", -0.0), false).size());
        assertEquals(1, foldWithConstant("nn.add", "tensor<2x3xf32>", doubles("tensor<3xf32>", -0.0), true).size());
    }

    @Test
    void addOfPositiveZeroDoesNotFoldForFloats() {
        assertNull(foldWithConstant("nn.add", "tensor<3xf32>", doubles("tensor<3xf32>", 0.0), false));
        assertNull(foldWithConstant("nn.add", "tensor<3xf16>", doubles("tensor<3xf16>", 0.0), true));
    }

    @Test
    void addOfIntegerZeroFolds() {
        assertEquals(1, foldWithConstant("nn.add", "tensor<4xi32>", longs("tensor<4xi32>", 0), true).size());
    }

    @Test
    void identityThatBroadcastsTheOtherOperandDoesNotFold() {
        assertNull(foldWithConstant("nn.add", "tensor<3xf32>", doubles("tensor<2x3xf32>", -0.0), false));
        assertNull(foldWithConstant("nn.mul", "tensor<1xf32>", doubles("tensor<4xf32>", 1), false));
        assertNull(foldWithConstant("nn.sub", "tensor<3xi8>", longs("tensor<2x1xi8>", 0), false));
    }

    @Test
    void nonSplatConstantDoesNotFold() {
        assertNull(foldWithConstant("nn.mul", "tensor<2xf32>", doubles("tensor<2xf32>", 1, 2), false));
    }

    @Test
    void subtractingZeroFoldsButOnlyOnTheRight() {
        assertEquals(1, foldWithConstant("nn.sub", "tensor<2xf32>", doubles("tensor<2xf32>", 0.0), false).size());
        assertEquals(1, foldWithConstant("nn.sub", "tensor<2xi64>", longs("tensor<2xi64>", 0), false).size());
        assertNull(foldWithConstant("nn.sub", "tensor<2xf32>", doubles("tensor<2xf32>", -0.0), false),
                "x - (-0.0) turns -0.0 into 0.0");
        assertNull(foldWithConstant("nn.sub", "tensor<2xi64>", longs("tensor<2xi64>", 0), true), "0 - x is -x");
    }

    @Test
    void multiplyingByOneFoldsButByZeroNever() {
        assertEquals(1, foldWithConstant("nn.mul", "tensor<2xbf16>", doubles("tensor<2xbf16>", 1), true).size());
        assertEquals(1, foldWithConstant("nn.mul", "tensor<2xu8>", longs("tensor<2xu8>", 1), false).size());
        assertNull(foldWithConstant("nn.mul", "tensor<2xf32>", doubles("tensor<2xf32>", 0), false));
        assertNull(foldWithConstant("nn.mul", "tensor<2xi32>", longs("tensor<2xi32>", 0), false));
    }

    @Test
    void dividingByOneFoldsButOneDividedByXDoesNot() {
        assertEquals(1, foldWithConstant("nn.div", "tensor<?xf32>", doubles("tensor<1xf32>", 1), false).size(),
                "a size-1 divisor keeps the dynamic type of x");
        assertEquals(1, foldWithConstant("nn.div", "tensor<2xi32>", longs("tensor<2xi32>", 1), false).size());
        assertNull(foldWithConstant("nn.div", "tensor<2xi32>", longs("tensor<2xi32>", 1), true));
    }

    @Test
    void operandsWithoutConstantsDoNotFold() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"), tensor("tensor<2xf32>"));
        Operation op = ir.op("nn.add", Map.of(), ir.arg(0), ir.arg(1));
        assertNull(fold(op));
    }
}
