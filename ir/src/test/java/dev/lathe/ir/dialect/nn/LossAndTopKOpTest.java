package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static dev.lathe.ir.dialect.nn.NormalizationOpsTest.evaluateAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** nn.negative_log_likelihood_loss and nn.top_k. */
class LossAndTopKOpTest {

    private static final String NLL = "nn.negative_log_likelihood_loss";

    /** Two samples, three classes: input[n][c] = -(1 + 3n + c). */
    private static DenseElementsAttr logProbs() {
        return doubles("tensor<2x3xf32>", -1, -2, -3, -4, -5, -6);
    }

    @Test
    void lossShapesFollowTheReduction() {
        assertEquals("tensor<2x4xf32>", infer(NLL, Map.of("reduction", new StringAttr("none")),
                "tensor<2x3x4xf32>", "tensor<?x4xi64>"));
        assertEquals("tensor<f32>", infer(NLL, "tensor<2x3x4xf32>", "tensor<2x4xi32>"));
    }

    @Test
    void aTargetOfTheWrongShapeIsRejected() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"), tensor("tensor<3xi64>"));
        ir.op(NLL, tensor("tensor<f32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "expects a target of the input's shape without dim 1 (classes), found input"
                + " tensor<2x3xf32> and target tensor<3xi64>");
    }

    @Test
    void lossReductionsWeightsAndIgnoredTargets() {
        DenseElementsAttr target = longs("tensor<2xi64>", 2, 0);
        DenseElementsAttr weight = doubles("tensor<3xf32>", 0.5, 1, 2);
        assertArrayEquals(new double[] {3, 4}, evaluate(NLL, Map.of("reduction", new StringAttr("none")),
                logProbs(), target).toDoubles());
        assertArrayEquals(new double[] {7}, evaluate(NLL, Map.of("reduction", new StringAttr("sum")),
                logProbs(), target).toDoubles());
        // (2 * 3 + 0.5 * 4) / (2 + 0.5)
        assertArrayEquals(new double[] {3.2}, evaluate(NLL, Map.of(), logProbs(), target, weight).toDoubles(), 1e-6);
        Map<String, Attribute> ignoreZero = Map.of("ignore_index", IntegerAttr.of(0));
        assertArrayEquals(new double[] {3}, evaluate(NLL, ignoreZero, logProbs(), target, weight).toDoubles(), 1e-6);
    }

    @Test
    void topKTypesForStaticAndDynamicK() {
        List<Type> types = NnTestIR.definition("nn.top_k").inferResultTypes(
                List.of(tensor("tensor<3x4xf32>")), Map.of("k", IntegerAttr.of(2), "axis", IntegerAttr.of(1)));
        assertEquals(List.of(tensor("tensor<3x2xf32>"), tensor("tensor<3x2xi64>")), types);
        List<Type> dynamic = NnTestIR.definition("nn.top_k").inferResultTypes(
                List.of(tensor("tensor<3x4xf32>"), tensor("tensor<1xi64>")), Map.of("axis", IntegerAttr.of(0)));
        assertEquals(List.of(tensor("tensor<?x4xf32>"), tensor("tensor<?x4xi64>")), dynamic);
    }

    @Test
    void topKBreaksTiesByLowerIndex() {
        List<DenseElementsAttr> r = evaluateAll("nn.top_k", Map.of("k", IntegerAttr.of(3)),
                doubles("tensor<5xf32>", 1, 4, Double.NaN, 4, 2));
        assertArrayEquals(new double[] {Double.NaN, 4, 4}, r.get(0).toDoubles());
        assertArrayEquals(new long[] {2, 1, 3}, r.get(1).toLongs());
        List<DenseElementsAttr> smallest = evaluateAll("nn.top_k",
                Map.of("k", IntegerAttr.of(2), "largest", BoolAttr.FALSE), longs("tensor<4xu8>", 200, 3, 3, 255));
        assertArrayEquals(new long[] {3, 3}, smallest.get(0).toLongs());
        assertArrayEquals(new long[] {1, 2}, smallest.get(1).toLongs());
    }
}
