package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.evaluate;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Layer, batch, instance, Lp and mean-variance normalization and LRN. */
class NormalizationOpsTest {

    private static final FloatAttr NO_EPSILON = new FloatAttr(0, ScalarType.F32);

    /** Evaluates a multi-result op on values, with the result types its definition infers. */
    static List<DenseElementsAttr> evaluateAll(String name, Map<String, Attribute> attrs, DenseElementsAttr... inputs) {
        List<Type> types = Arrays.stream(inputs).map(i -> (Type) i.type()).toList();
        List<Type> results = NnTestIR.definition(name).inferResultTypes(types, attrs);
        NnTestIR ir = new NnTestIR(types.toArray(Type[]::new));
        List<Value> args = java.util.stream.IntStream.range(0, inputs.length).mapToObj(ir::arg).toList();
        Operation op = Operation.create(name, args, results, attrs, Location.name("test"));
        assertEquals(List.of(), ir.errors());
        List<DenseElementsAttr> out = op.definition().evaluate(op, List.of(inputs));
        for (int i = 0; i < out.size(); i++) {
            assertEquals(true, ((dev.lathe.ir.type.TensorType) results.get(i)).isCompatibleWith(out.get(i).type()), out.get(i).type() + " vs " + results.get(i));
        }
        return out;
    }

    @Test
    void layerNormalizationReturnsMeanAndInverseStdDev() {
        // Rows [1, 3] and [2, 6]: means 2 and 4, std devs 1 and 2.
        List<DenseElementsAttr> r = evaluateAll("nn.layer_normalization", Map.of("epsilon", NO_EPSILON),
                doubles("tensor<2x2xf32>", 1, 3, 2, 6), doubles("tensor<2xf32>", 1, 10), doubles("tensor<2xf32>", 0, 1));
        assertArrayEquals(new double[] {-1, 11, -1, 11}, r.get(0).toDoubles(), 1e-6);
        assertEquals(tensor("tensor<2x1xf32>"), r.get(1).type());
        assertArrayEquals(new double[] {2, 4}, r.get(1).toDoubles());
        assertArrayEquals(new double[] {1, 0.5}, r.get(2).toDoubles());
    }

    @Test
    void layerNormalizationVarianceIsStableForLargeOffsets() {
        // E[x^2] - E[x]^2 loses everything at 1e8 in double; deviations from the mean do not.
        List<DenseElementsAttr> r = evaluateAll("nn.layer_normalization", Map.of("epsilon", NO_EPSILON),
                doubles("tensor<2xf64>", 1e8 + 1, 1e8 + 3), doubles("tensor<1xf64>", 1));
        assertArrayEquals(new double[] {-1, 1}, r.get(0).toDoubles(), 1e-9);
    }

    @Test
    void layerNormalizationRejectsAScaleThatDoesNotBroadcast() {
        InvalidOpException e = assertThrows(InvalidOpException.class, () -> NnTestIR.definition("nn.layer_normalization")
                .inferResultTypes(List.of(tensor("tensor<2x3xf32>"), tensor("tensor<4xf32>")), Map.of()));
        assertEquals("expects a scale of element type f32 broadcasting to tensor<2x3xf32>, found tensor<4xf32>",
                e.getMessage());
    }

    @Test
    void batchNormalizationInInferenceAndTrainingMode() {
        DenseElementsAttr x = doubles("tensor<2x1x2xf32>", 1, 3, 5, 7);
        DenseElementsAttr one = doubles("tensor<1xf32>", 1);
        DenseElementsAttr zero = doubles("tensor<1xf32>", 0);
        DenseElementsAttr four = doubles("tensor<1xf32>", 4);
        Map<String, Attribute> inference = Map.of("epsilon", NO_EPSILON);
        assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5},
                evaluateAll("nn.batch_normalization", inference, x, one, zero, zero, four).get(0).toDoubles());
        Map<String, Attribute> training = Map.of("epsilon", NO_EPSILON, "training_mode", BoolAttr.TRUE,
                "momentum", new FloatAttr(0.5, ScalarType.F32));
        List<DenseElementsAttr> r = evaluateAll("nn.batch_normalization", training, x, one, zero, zero, four);
        // Batch mean 4, variance (9 + 1 + 1 + 9) / 4 = 5.
        assertArrayEquals(new double[] {-3 / Math.sqrt(5), -1 / Math.sqrt(5), 1 / Math.sqrt(5), 3 / Math.sqrt(5)},
                r.get(0).toDoubles(), 1e-6);
        assertArrayEquals(new double[] {2}, r.get(1).toDoubles());
        assertArrayEquals(new double[] {4.5}, r.get(2).toDoubles());
    }

    @Test
    void instanceLpAndMeanVarianceNormalization() {
        DenseElementsAttr x = doubles("tensor<1x2x2xf32>", 1, 3, 4, 6);
        assertArrayEquals(new double[] {-2, 2, -4, 6}, evaluate("nn.instance_normalization", Map.of("epsilon", NO_EPSILON),
                x, doubles("tensor<2xf32>", 2, 5), doubles("tensor<2xf32>", 0, 1)).toDoubles(), 1e-6);
        assertArrayEquals(new double[] {0.6, 0.8}, evaluate("nn.lp_normalization", Map.of(),
                doubles("tensor<2xf32>", 3, 4)).toDoubles(), 1e-7);
        assertArrayEquals(new double[] {0.25, 0.75}, evaluate("nn.lp_normalization", Map.of("p", IntegerAttr.of(1)),
                doubles("tensor<2xf32>", 1, 3)).toDoubles(), 1e-7);
        assertArrayEquals(new double[] {-1, 1, -1, 1}, evaluate("nn.mean_variance_normalization",
                Map.of("axes", array(2)), x).toDoubles(), 1e-6);
    }

    @Test
    void lrnSumsSquaresOfNeighbouringChannels() {
        // size 2: channel c sums channels c and c + 1 (floor(1/2) = 0 before, ceil(1/2) = 1 after).
        Map<String, Attribute> attrs = Map.of("size", IntegerAttr.of(2), "alpha", new FloatAttr(2, ScalarType.F32),
                "beta", new FloatAttr(1, ScalarType.F32), "bias", new FloatAttr(1, ScalarType.F32));
        DenseElementsAttr r = evaluate("nn.lrn", attrs, doubles("tensor<1x2xf64>", 1, 2));
        assertArrayEquals(new double[] {1.0 / (1 + 5), 2.0 / (1 + 4)}, r.toDoubles(), 1e-15);
        NnTestIR ir = new NnTestIR(tensor("tensor<1x2xf32>"));
        ir.op("nn.lrn", tensor("tensor<1x2xf32>"), Map.of("size", IntegerAttr.of(0)), ir.arg(0));
        assertOneError(ir.errors(), "expects size >= 1, found 0");
    }
}
