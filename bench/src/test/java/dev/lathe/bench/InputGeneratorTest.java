package dev.lathe.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputGeneratorTest {

    static InputSpec spec(String name, ScalarType type, long[] shape, String... dimNames) {
        return new InputSpec(name, type, shape, dimNames);
    }

    @Test
    void miniLmLikeSignature() {
        List<InputSpec> specs = List.of(
                spec("input_ids", ScalarType.I64, new long[] {-1, -1}, "batch_size", "sequence_length"),
                spec("attention_mask", ScalarType.I64, new long[] {-1, -1}, "batch_size", "sequence_length"),
                spec("token_type_ids", ScalarType.I64, new long[] {-1, -1}, "batch_size", "sequence_length"));
        Map<String, DenseElementsAttr> in = new InputGenerator(2, 16).generate(specs);
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), List.copyOf(in.keySet()));
        for (DenseElementsAttr v : in.values()) {
            assertArrayEquals(new long[] {2, 16}, v.type().shapeArray());
        }
        long[] ids = in.get("input_ids").toLongs();
        assertTrue(java.util.Arrays.stream(ids).allMatch(x -> x >= 0 && x < InputGenerator.ID_BOUND));
        assertTrue(java.util.Arrays.stream(ids).distinct().count() > 5, "ids are random, not constant");
        assertTrue(java.util.Arrays.stream(in.get("attention_mask").toLongs()).allMatch(x -> x == 1));
        // Segment ids index a vocabulary of 2 in MiniLM: zeros, not ids in [0, 1000).
        assertTrue(java.util.Arrays.stream(in.get("token_type_ids").toLongs()).allMatch(x -> x == 0));
    }

    @Test
    void floatsAreUniformInMinusOneToOneAndReproducible() {
        InputSpec x = spec("x", ScalarType.F32, new long[] {-1, 3, -1, -1}, "p2o.DynamicDimension.0",
                "", "p2o.DynamicDimension.1", "p2o.DynamicDimension.2");
        InputGenerator g = new InputGenerator(1, 128, Map.of("p2o.DynamicDimension.1", 48L, "p2o.DynamicDimension.2", 192L),
                Map.of(), 5);
        DenseElementsAttr v = g.generate(List.of(x)).get("x");
        assertArrayEquals(new long[] {1, 3, 48, 192}, v.type().shapeArray());
        double[] d = v.toDoubles();
        double min = java.util.Arrays.stream(d).min().orElseThrow();
        double max = java.util.Arrays.stream(d).max().orElseThrow();
        assertTrue(min >= -1 && min < -0.99 && max < 1 && max > 0.99, min + " .. " + max);
        for (double e : d) {
            assertEquals((float) e, e, "values are exactly f32");
        }
        assertEquals(v, g.generate(List.of(x)).get("x"), "same seed, same values");
    }

    @Test
    void otherIntsAreZeroValuesOverrideAndDimsFollowNames() {
        List<InputSpec> specs = List.of(
                spec("input", ScalarType.F32, new long[] {-1, -1}, "batch", "sequence"),
                spec("sr", ScalarType.I64, new long[] {}),
                spec("state", ScalarType.F32, new long[] {2, -1, 128}, "", "batch", ""),
                spec("flags", ScalarType.I32, new long[] {4}, ""),
                spec("n", ScalarType.I64, new long[] {-1}, "seq_len"));
        Map<String, DenseElementsAttr> in = new InputGenerator(3, 7, Map.of("sequence", 576L), Map.of("sr", 16_000.0), 5)
                .generate(specs);
        assertArrayEquals(new long[] {3, 576}, in.get("input").type().shapeArray());
        assertEquals(16_000, in.get("sr").getLong(0));
        assertArrayEquals(new long[] {2, 3, 128}, in.get("state").type().shapeArray(), "a dim named batch takes --batch");
        assertTrue(java.util.Arrays.stream(in.get("flags").toLongs()).allMatch(x -> x == 0));
        assertArrayEquals(new long[] {7}, in.get("n").type().shapeArray(), "a first dim named like a sequence takes --seq");
    }
}
