package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** nn.softmax, nn.log_softmax and nn.hardmax, on one axis (ONNX 13) and on trailing axes (coerced to 2-D). */
class SoftmaxOpTest {

    /** [[[0, ln 3], [ln 2, ln 2]]]: shape 1x2x2. */
    private static DenseElementsAttr logs() {
        return doubles("tensor<1x2x2xf64>", 0, Math.log(3), Math.log(2), Math.log(2));
    }

    @Test
    void resultTypeIsTheOperandType() {
        assertEquals("tensor<?x3xf16>", infer("nn.softmax", Map.of("axes", array(-1)), "tensor<?x3xf16>"));
    }

    @Test
    void integerOperandsAndEmptyAxesAreRejected() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xi32>"));
        ir.op("nn.softmax", tensor("tensor<2xi32>"), Map.of("axes", array(0)), ir.arg(0));
        assertOneError(ir.errors(), "'nn.softmax' op expects an operand of float elements, found tensor<2xi32>");
        NnTestIR none = new NnTestIR(tensor("tensor<2xf32>"));
        none.op("nn.hardmax", tensor("tensor<2xf32>"), Map.of("axes", array()), none.arg(0));
        assertOneError(none.errors(), "expects at least one axis");
    }

    @Test
    void softmaxOverOneAxisAndOverTrailingAxes() {
        assertArrayEquals(new double[] {0.25, 0.75, 0.5, 0.5},
                evaluate("nn.softmax", Map.of("axes", array(2)), logs()).toDoubles(), 1e-15);
        // exp values 1, 3, 2, 2 normalized together (ONNX < 13 with axis = 1).
        assertArrayEquals(new double[] {0.125, 0.375, 0.25, 0.25},
                evaluate("nn.softmax", Map.of("axes", array(1, 2)), logs()).toDoubles(), 1e-15);
    }

    @Test
    void logSoftmaxIsStableForLargeInputs() {
        DenseElementsAttr r = evaluate("nn.log_softmax", Map.of("axes", array(0)), doubles("tensor<2xf32>", 1000, 1000));
        assertArrayEquals(new double[] {-Math.log(2), -Math.log(2)}, r.toDoubles(), 1e-6);
    }

    @Test
    void hardmaxMarksTheFirstMaximum() {
        DenseElementsAttr x = doubles("tensor<2x3xf32>", 1, 5, 5, 2, 2, 0);
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, evaluate("nn.hardmax", Map.of("axes", array(1)), x).toDoubles());
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0},
                evaluate("nn.hardmax", Map.of("axes", array(0, 1)), x).toDoubles());
    }
}
