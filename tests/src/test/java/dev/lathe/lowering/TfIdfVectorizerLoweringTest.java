package dev.lathe.lowering;

import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.tf_idf_vectorizer} natively against the interpreter: tokens drawn from a small
 * alphabet so n-grams repeat, unigrams to trigrams with skips, a min_gram_length that drops
 * unigrams, columns out of pool order, a repeated pool n-gram, one row and a batch, i32 and i64,
 * and each mode with weights. Exact comparison (rtol 0, atol 0): counts are small integers, and
 * a weight times a count is one f32 rounding in both.
 */
class TfIdfVectorizerLoweringTest {

    private static final String POOL = "max_gram_length = 3, min_gram_length = %d, max_skip_count = %d, "
            + "ngram_counts = [0, 3, 9], ngram_indexes = [4, 0, 2, 1, 3, 5, 6, 7, 3, 8], "
            + "pool = [1, 2, 3, 1, 2, 2, 1, 3, 3, 2, 1, 1, 1, 2, 3, 1, 2, 3]";

    @ParameterizedTest(name = "{0} {1} min={2} skip={3} {4}")
    @CsvSource(delimiter = '|', value = {
        "3x20 | i32 | 1 | 0 | tf",
        "3x20 | i64 | 1 | 3 | tf",
        "25 | i64 | 2 | 2 | tf",
        "2x15 | i32 | 1 | 1 | idf",
        "2x15 | i64 | 1 | 2 | tfidf",
        "2x15 | i32 | 3 | 4 | tfidf",
    })
    void matchesInterpreter(String shape, String tokenType, int min, int skip, String mode) {
        long[] dims = java.util.Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
        TensorType x = TensorType.of(ScalarType.valueOf(tokenType.toUpperCase()), dims);
        TensorType y = dims.length == 1 ? TensorType.of(ScalarType.F32, 9) : TensorType.of(ScalarType.F32, dims[0], 9);
        String weights = mode.equals("tf") ? ""
                : ", weights = [0.5 : f32, 1.25 : f32, 2.0 : f32, 0.1 : f32, 3.0 : f32, 0.7 : f32, 1.0 : f32, 0.3 : f32, 9.5 : f32]";
        String lir = "func.func @f(%x: " + x.text() + ") -> " + y.text() + " {\n"
                + "  %0 = \"nn.tf_idf_vectorizer\"(%x) {" + POOL.formatted(min, skip) + ", mode = \"" + mode + "\"" + weights
                + "} : (" + x.text() + ") -> " + y.text() + "\n"
                + "  func.return %0 : " + y.text() + "\n}\n";
        NativeCheck.check(lir, List.of(NativeCheck.random(x, 0, 4, shape.hashCode() + min)), 0, 0);
    }
}
