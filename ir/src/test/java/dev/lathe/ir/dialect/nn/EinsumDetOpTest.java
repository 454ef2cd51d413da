package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.StringAttr;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EinsumDetOpTest {

    private static Map<String, Attribute> eq(String equation) {
        return Map.of("equation", new StringAttr(equation));
    }

    @Test
    void infersExplicitImplicitAndEllipsisOutputs() {
        assertEquals("tensor<5x2x4xf32>", infer("nn.einsum", eq("bij,bjk->bik"), "tensor<5x2x3xf32>", "tensor<5x3x4xf32>"));
        assertEquals("tensor<4x3xf32>", infer("nn.einsum", eq("ij"), "tensor<4x3xf32>"), "implicit: letters sorted");
        assertEquals("tensor<3x4xf32>", infer("nn.einsum", eq("ji"), "tensor<4x3xf32>"), "implicit transposes");
        assertEquals("tensor<7x?x2x4xf32>", infer("nn.einsum", eq("...ij,...jk->...ik"), "tensor<7x1x2x3xf32>",
                "tensor<?x3x4xf32>"));
        assertEquals("tensor<3x5xf32>", infer("nn.einsum", eq("...ii->...i"), "tensor<3x5x5xf32>"));
    }

    @Test
    void rejectsLabelsOfDifferentSizes() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"), tensor("tensor<4xf32>"));
        ir.op("nn.einsum", tensor("tensor<2xf32>"), eq("ij,j->i"), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "equation 'ij,j->i' gives one label the sizes 3 and 4");
    }

    @Test
    void contractsTracesAndTakesDiagonals() {
        assertArrayEquals(new double[] {1, 4}, evaluate("nn.einsum", eq("ii->i"),
                doubles("tensor<2x2xf32>", 1, 2, 3, 4)).toDoubles());
        assertArrayEquals(new double[] {5}, evaluate("nn.einsum", eq("ii"), doubles("tensor<2x2xf32>", 1, 2, 3, 4))
                .toDoubles());
        assertArrayEquals(new long[] {-56}, evaluate("nn.einsum", eq("i,i"), longs("tensor<2xi8>", 10, 10),
                longs("tensor<2xi8>", 10, 10)).toLongs(), "integer sums wrap");
        assertArrayEquals(new double[] {19, 22, 43, 50}, evaluate("nn.einsum", eq("ij,jk"),
                doubles("tensor<2x2xf64>", 1, 2, 3, 4), doubles("tensor<2x2xf64>", 5, 6, 7, 8)).toDoubles());
    }

    @Test
    void determinantsOfABatch() {
        assertEquals("tensor<3xf32>", infer("nn.det", "tensor<3x2x2xf32>"));
        assertArrayEquals(new double[] {-2, -24}, evaluate("nn.det", doubles("tensor<2x3x3xf64>",
                1, 2, 0, 3, 4, 0, 0, 0, 1, 0, 0, 2, 0, 3, 0, 4, 0, 0)).toDoubles(), 1e-12);
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"));
        ir.op("nn.det", tensor("tensor<f32>"), Map.of(), ir.arg(0));
        assertOneError(ir.errors(), "expects square matrices [..., n, n], found tensor<2x3xf32>");
    }
}
