package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.fold;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.FoldResult;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReshapeOpTest {

    private static Map<String, Attribute> shape(long... s) {
        return Map.of("shape", array(s));
    }

    @Test
    void infersTheMinusOneFromAStaticOperand() {
        assertEquals("tensor<2x12xf32>", infer("nn.reshape", shape(2, -1), "tensor<2x3x4xf32>"));
        assertEquals("tensor<24xf32>", infer("nn.reshape", shape(-1), "tensor<2x3x4xf32>"));
        assertEquals("tensor<1x6x1xi8>", infer("nn.reshape", shape(1, -1, 1), "tensor<6xi8>"));
        assertEquals("tensor<0x5xf32>", infer("nn.reshape", shape(0, 5), "tensor<5x0xf32>"), "0 is a size");
    }

    @Test
    void minusOneBecomesDynamicForADynamicOperand() {
        assertEquals("tensor<?x4xf32>", infer("nn.reshape", shape(-1, 4), "tensor<?x2x2xf32>"));
        assertEquals("tensor<3x4xf32>", infer("nn.reshape", shape(3, 4), "tensor<?x2xf32>"));
    }

    @Test
    void keepsElementsInRowMajorOrder() {
        DenseElementsAttr r = evaluate("nn.reshape", shape(3, -1), doubles("tensor<2x3xf32>", 1, 2, 3, 4, 5, 6));
        assertEquals(tensor("tensor<3x2xf32>"), r.type());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, r.toDoubles());
    }

    @ParameterizedTest(name = "{1} on {0}: {2}")
    @CsvSource(delimiter = '|', value = {
        "tensor<2x3xf32> | 4,2   | shape [4, 2] holds 8 elements but tensor<2x3xf32> has 6",
        "tensor<7xf32>   | 2,-1  | cannot infer the -1 in shape [2, -1]: tensor<7xf32> has 7 elements and the "
                + "other sizes multiply to 2",
        "tensor<0xf32>   | 0,-1  | cannot infer the -1 in shape [0, -1]",
        "tensor<6xf32>   | -1,-1 | shape [-1, -1] has more than one -1",
        "tensor<6xf32>   | -2,-3 | shape [-2, -3] has size -2; expected sizes >= 0 and at most one -1",
        "tensor<6xf32>   | 4294967296,4294967296 | shape [4294967296, 4294967296] has more elements than fit in 64 bits",
    })
    void badTargetsAreReported(String input, String target, String message) {
        long[] s = Arrays.stream(target.split(",")).mapToLong(Long::parseLong).toArray();
        NnTestIR ir = new NnTestIR(tensor(input));
        ir.op("nn.reshape", tensor("tensor<6xf32>"), shape(s), ir.arg(0));
        assertOneError(ir.errors(), "'nn.reshape' op " + message);
    }

    @Test
    void missingShapeIsReportedByTheSchema() {
        NnTestIR ir = new NnTestIR(tensor("tensor<6xf32>"));
        ir.op("nn.reshape", tensor("tensor<6xf32>"), Map.of(), ir.arg(0));
        assertOneError(ir.errors(), "requires attribute 'shape'");
    }

    @Test
    void reshapeToTheSameTypeFoldsOthersDoNot() {
        NnTestIR ir = new NnTestIR(tensor("tensor<?x4xf32>"));
        Operation same = ir.op("nn.reshape", shape(-1, 4), ir.arg(0));
        Operation other = ir.op("nn.reshape", shape(-1, 2), ir.arg(0));
        assertEquals(List.of(), ir.errors());
        assertEquals(List.of(FoldResult.existing(ir.arg(0))), fold(same));
        assertNull(fold(other));
    }
}
