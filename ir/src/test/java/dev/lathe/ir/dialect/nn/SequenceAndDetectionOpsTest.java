package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static dev.lathe.ir.dialect.nn.NormalizationOpsTest.evaluateAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** nn.rnn/gru/lstm, nn.non_max_suppression, nn.unique, nn.tf_idf_vectorizer and the optimizers. */
class SequenceAndDetectionOpsTest {

    private static FloatAttr f32(double v) {
        return new FloatAttr(v, ScalarType.F32);
    }

    private static Map<String, Attribute> rnnAttrs(int hidden, String... activations) {
        List<Attribute> names = java.util.Arrays.stream(activations).map(s -> (Attribute) new StringAttr(s)).toList();
        List<Attribute> zeros = names.stream().map(n -> (Attribute) f32(0)).toList();
        return Map.of("hidden_size", IntegerAttr.of(hidden), "activations", new ArrayAttr(names),
                "activation_alpha", new ArrayAttr(zeros), "activation_beta", new ArrayAttr(zeros));
    }

    @Test
    void lstmResultTypesKeepADynamicBatch() {
        List<Type> types = NnTestIR.definition("nn.lstm").inferResultTypes(List.of(tensor("tensor<5x?x3xf32>"),
                tensor("tensor<1x8x3xf32>"), tensor("tensor<1x8x2xf32>"), tensor("tensor<1x16xf32>"),
                tensor("tensor<1x?x2xf32>"), tensor("tensor<1x?x2xf32>"), tensor("tensor<1x6xf32>")),
                rnnAttrs(2, "sigmoid", "tanh", "tanh"));
        assertEquals(List.of(tensor("tensor<5x1x?x2xf32>"), tensor("tensor<1x?x2xf32>"), tensor("tensor<1x?x2xf32>")),
                types);
    }

    @Test
    void rnnRejectsWeightsOfTheWrongShape() {
        List<Type> operands = List.of(tensor("tensor<2x1x3xf32>"), tensor("tensor<1x4x3xf32>"),
                tensor("tensor<1x2x2xf32>"), tensor("tensor<1x4xf32>"), tensor("tensor<1x1x2xf32>"));
        InvalidOpException e = assertThrows(InvalidOpException.class,
                () -> NnTestIR.definition("nn.rnn").inferResultTypes(operands, rnnAttrs(2, "tanh")));
        assertEquals("expects w of type tensor<1x2x3xf32>, found tensor<1x4x3xf32>", e.getMessage());
    }

    @Test
    void rnnStepsThroughTheSequenceAndStopsAtItsLength() {
        // h1 = tanh(0.5·1) , h2 = tanh(0.5·2 + 1·h1); the second batch entry has length 1.
        List<DenseElementsAttr> r = evaluateAll("nn.rnn", rnnAttrs(1, "tanh"), doubles("tensor<2x2x1xf64>", 1, 1, 2, 2),
                doubles("tensor<1x1x1xf64>", 0.5), doubles("tensor<1x1x1xf64>", 1), doubles("tensor<1x2xf64>", 0, 0),
                doubles("tensor<1x2x1xf64>", 0, 0), longs("tensor<2xi32>", 2, 1));
        double h1 = Math.tanh(0.5);
        double h2 = Math.tanh(1 + h1);
        assertArrayEquals(new double[] {h1, h1, h2, 0}, r.get(0).toDoubles(), 1e-15);
        assertArrayEquals(new double[] {h2, h1}, r.get(1).toDoubles(), 1e-15);
    }

    @Test
    void nonMaxSuppressionDropsOverlapsAndCapsPerClass() {
        // Boxes 0 and 1 overlap (IoU 0.81), box 2 is apart; scores 0.9, 0.8, 0.7.
        DenseElementsAttr boxes = doubles("tensor<1x3x4xf32>", 0, 0, 1, 1, 0, 0.1, 1, 1.1, 5, 5, 6, 6);
        DenseElementsAttr scores = doubles("tensor<1x1x3xf32>", 0.9, 0.8, 0.7);
        Map<String, Attribute> attrs = Map.of("max_output_boxes_per_class", IntegerAttr.of(3), "iou_threshold", f32(0.5));
        DenseElementsAttr out = evaluateAll("nn.non_max_suppression", attrs, boxes, scores).get(0);
        assertEquals(tensor("tensor<2x3xi64>"), out.type());
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 2}, out.toLongs());
        DenseElementsAttr capped = evaluateAll("nn.non_max_suppression", Map.of(), boxes, scores,
                longs("tensor<1xi64>", 1), doubles("tensor<1xf32>", 0.9), doubles("tensor<1xf32>", 0.75)).get(0);
        assertArrayEquals(new long[] {0, 0, 0}, capped.toLongs());
    }

    @Test
    void nonMaxSuppressionRejectsBoxesWithoutFourCoordinates() {
        NnTestIR ir = new NnTestIR(tensor("tensor<1x3x5xf32>"), tensor("tensor<1x1x3xf32>"));
        ir.op("nn.non_max_suppression", tensor("tensor<?x3xi64>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "expects boxes of shape [batches, boxes, 4], found tensor<1x3x5xf32>");
    }

    @Test
    void uniqueSortedAndInOrderOfAppearance() {
        DenseElementsAttr x = doubles("tensor<6xf32>", 2, 1, 1, 3, 4, 3);
        List<DenseElementsAttr> sorted = evaluateAll("nn.unique", Map.of(), x);
        assertArrayEquals(new double[] {1, 2, 3, 4}, sorted.get(0).toDoubles());
        assertArrayEquals(new long[] {1, 0, 3, 4}, sorted.get(1).toLongs());
        assertArrayEquals(new long[] {1, 0, 0, 2, 3, 2}, sorted.get(2).toLongs());
        assertArrayEquals(new long[] {2, 1, 2, 1}, sorted.get(3).toLongs());
        List<DenseElementsAttr> unsorted = evaluateAll("nn.unique", Map.of("sorted", BoolAttr.FALSE), x);
        assertArrayEquals(new double[] {2, 1, 3, 4}, unsorted.get(0).toDoubles());
    }

    @Test
    void uniqueRowsOfIntegers() {
        List<DenseElementsAttr> r = evaluateAll("nn.unique", Map.of("axis", IntegerAttr.of(0)),
                longs("tensor<3x2xi32>", 1, -1, 0, 5, 1, -1));
        assertEquals(tensor("tensor<2x2xi32>"), r.get(0).type());
        assertArrayEquals(new long[] {0, 5, 1, -1}, r.get(0).toLongs());
        assertArrayEquals(new long[] {1, 0, 1}, r.get(2).toLongs());
        assertEquals("tensor<3x?xi32>", NnTestIR.infer("nn.unique", Map.of("axis", IntegerAttr.of(1)), "tensor<3x4xi32>"));
    }

    @Test
    void tfIdfCountsUnigramsOnceAndSkippedBigrams() {
        Map<String, Attribute> attrs = Map.of("pool", ArrayAttr.ofLongs(7, 8, 7, 9), "ngram_counts", ArrayAttr.ofLongs(0, 2),
                "ngram_indexes", ArrayAttr.ofLongs(0, 1, 2), "min_gram_length", IntegerAttr.of(1),
                "max_gram_length", IntegerAttr.of(2), "max_skip_count", IntegerAttr.of(1), "mode", new StringAttr("tf"));
        // Tokens 7 8 9: unigrams 7, 8 once each; bigram (7, 9) with one skip.
        DenseElementsAttr y = evaluateAll("nn.tf_idf_vectorizer", attrs, longs("tensor<3xi64>", 7, 8, 9)).get(0);
        assertEquals(tensor("tensor<3xf32>"), y.type());
        assertArrayEquals(new double[] {1, 1, 1}, y.toDoubles());
    }

    @Test
    void adagradAndMomentumSteps() {
        Map<String, Attribute> adagrad = Map.of("epsilon", f32(0), "decay_factor", f32(0), "norm_coefficient", f32(0));
        // h' = 1 + 3² = 10; x' = 2 - 0.5·3/sqrt(10)
        List<DenseElementsAttr> r = evaluateAll("nn.adagrad", adagrad, doubles("tensor<f64>", 0.5), longs("tensor<i64>", 0),
                doubles("tensor<1xf64>", 2), doubles("tensor<1xf64>", 3), doubles("tensor<1xf64>", 1));
        assertArrayEquals(new double[] {2 - 1.5 / Math.sqrt(10)}, r.get(0).toDoubles(), 1e-15);
        assertArrayEquals(new double[] {10}, r.get(1).toDoubles());
        Map<String, Attribute> momentum = Map.of("alpha", f32(0.5), "beta", f32(0.25), "norm_coefficient", f32(0),
                "mode", new StringAttr("standard"));
        // t = 1: v' = 0.5·4 + 0.25·2 = 2.5; x' = 1 - 0.1·2.5
        List<DenseElementsAttr> m = evaluateAll("nn.momentum", momentum, doubles("tensor<f32>", 0.1),
                longs("tensor<i64>", 1), doubles("tensor<1xf32>", 1), doubles("tensor<1xf32>", 2), doubles("tensor<1xf32>", 4));
        assertArrayEquals(new double[] {0.75}, m.get(0).toDoubles(), 1e-7);
        assertArrayEquals(new double[] {2.5}, m.get(1).toDoubles());
    }

    @Test
    void optimizerRejectsAStateOfAnotherShape() {
        NnTestIR ir = new NnTestIR(tensor("tensor<f32>"), tensor("tensor<i64>"), tensor("tensor<2xf32>"),
                tensor("tensor<2xf32>"), tensor("tensor<3xf32>"));
        ir.op("nn.adagrad", tensor("tensor<2xf32>"), Map.of(), ir.arg(0), ir.arg(1), ir.arg(2), ir.arg(3), ir.arg(4));
        List<String> errors = ir.errors();
        assertEquals(1, errors.size(), errors::toString);
        assertEquals(true, errors.get(0).contains("expects every tensor of index 0 to have type tensor<2xf32>, found"
                + " tensor<3xf32> (operand #4)"), errors.get(0));
    }
}
