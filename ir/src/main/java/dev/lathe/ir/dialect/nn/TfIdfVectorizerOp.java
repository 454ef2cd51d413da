package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.tf_idf_vectorizer}: ONNX TfIdfVectorizer on integer tokens. {@code x} is {@code [L]}
 * or {@code [N, L]} (i32 or i64 token ids); the result is f32 {@code [C]} or {@code [N, C]} with
 * {@code C = max(ngram_indexes) + 1}.
 *
 * <p>Attributes (all required but {@code weights}): {@code pool} (ints, ONNX's
 * {@code pool_int64s}: the n-grams, level by level), {@code ngram_counts} (ints: where each level
 * {@code n = 1, 2, ...} starts in {@code pool}), {@code ngram_indexes} (ints: the output column of
 * each n-gram in pool order), {@code min_gram_length}, {@code max_gram_length},
 * {@code max_skip_count} (ints), {@code mode} ({@code "tf"}, {@code "idf"}, {@code "tfidf"}),
 * {@code weights} (array of f32, default ones).
 *
 * <p>In each row, for each skip {@code s} in {@code 0..max_skip_count} and each start {@code i},
 * the tokens {@code i, i+s+1, i+2(s+1), ...} form n-grams of length {@code min..max} that are
 * counted when they are in the pool; unigrams are counted once (at {@code s = 0}), as ONNX
 * Runtime does. Then {@code tf}: the count; {@code idf}: {@code weight} when the count is nonzero;
 * {@code tfidf}: {@code count·weight}. String tokens are not supported (Lathe has no strings).
 */
public final class TfIdfVectorizerOp extends AbstractOpDefinition {

    public static final String NAME = "nn.tf_idf_vectorizer";

    public TfIdfVectorizerOp() {
        super(NAME, "n-gram counts of integer token sequences, weighted",
                OpSchema.of(1, AttrSpec.required("pool", ArrayAttr.class), AttrSpec.required("ngram_counts", ArrayAttr.class),
                        AttrSpec.required("ngram_indexes", ArrayAttr.class),
                        AttrSpec.required("min_gram_length", IntegerAttr.class),
                        AttrSpec.required("max_gram_length", IntegerAttr.class),
                        AttrSpec.required("max_skip_count", IntegerAttr.class), AttrSpec.required("mode", StringAttr.class),
                        AttrSpec.optional("weights", ArrayAttr.class)),
                Set.of(Trait.PURE));
    }

    /** The n-grams of the pool (as token lists) with their output column. */
    private record Vocabulary(Map<List<Long>, Integer> columns, int width) {}

    private static Vocabulary vocabulary(Map<String, Attribute> a) {
        long[] pool = NnTypes.longs(a, "pool");
        long[] counts = NnTypes.longs(a, "ngram_counts");
        long[] indexes = NnTypes.longs(a, "ngram_indexes");
        ReductionMath.choice(a, "mode", "tf", "tf", "idf", "tfidf");
        long min = ReductionMath.integer(a, "min_gram_length", 1);
        long max = ReductionMath.integer(a, "max_gram_length", 1);
        if (min < 1 || max < min || ReductionMath.integer(a, "max_skip_count", 0) < 0) {
            throw new InvalidOpException("expects 1 <= min_gram_length <= max_gram_length and max_skip_count >= 0,"
                    + " found " + min + ", " + max + " and " + ReductionMath.integer(a, "max_skip_count", 0));
        }
        Map<List<Long>, Integer> columns = new HashMap<>();
        int ngram = 0;
        for (int level = 0; level < counts.length; level++) {
            long start = counts[level];
            long end = level + 1 < counts.length ? counts[level + 1] : pool.length;
            int n = level + 1;
            if (start < 0 || end > pool.length || end < start || (end - start) % n != 0) {
                throw new InvalidOpException("expects ngram_counts to split the pool into whole n-grams, found "
                        + NnTypes.text(counts) + " for a pool of " + pool.length);
            }
            for (long p = start; p < end; p += n, ngram++) {
                if (ngram >= indexes.length || indexes[ngram] < 0) {
                    throw new InvalidOpException("expects a column >= 0 in ngram_indexes for each of the pool's n-grams,"
                            + " found " + NnTypes.text(indexes));
                }
                List<Long> tokens = Arrays.stream(Arrays.copyOfRange(pool, (int) p, (int) p + n)).boxed().toList();
                columns.put(tokens, (int) indexes[ngram]);
            }
        }
        int width = (int) Arrays.stream(indexes).max().orElse(-1) + 1;
        if (a.get("weights") instanceof ArrayAttr weights && weights.size() < width) {
            throw new InvalidOpException("expects one weight per output column (" + width + "), found "
                    + weights.size());
        }
        return new Vocabulary(columns, width);
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        TensorType x = NnTypes.tensor(operandTypes, 0);
        if (x.elementType() != ScalarType.I32 && x.elementType() != ScalarType.I64 || x.rank() < 1 || x.rank() > 2) {
            throw new InvalidOpException("expects [L] or [N, L] tokens of i32 or i64, found " + x.text());
        }
        int width = vocabulary(attributes).width();
        return List.of(x.rank() == 1 ? TensorType.of(ScalarType.F32, width) : TensorType.of(ScalarType.F32, x.dim(0), width));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        DenseElementsAttr x = operands.get(0);
        Map<String, Attribute> a = op.attributes();
        Vocabulary vocabulary = vocabulary(a);
        long[] shape = x.type().shapeArray();
        int rows = shape.length == 1 ? 1 : (int) shape[0];
        int length = (int) shape[shape.length - 1];
        int min = (int) ReductionMath.integer(a, "min_gram_length", 1);
        int max = (int) ReductionMath.integer(a, "max_gram_length", 1);
        int maxSkip = (int) ReductionMath.integer(a, "max_skip_count", 0);
        int width = vocabulary.width();
        double[] out = new double[rows * width];
        for (int row = 0; row < rows; row++) {
            long[] tokens = new long[length];
            for (int i = 0; i < length; i++) {
                tokens[i] = x.getLong((long) row * length + i);
            }
            for (int distance = 1; distance <= maxSkip + 1; distance++) {
                int smallest = distance == 1 ? min : Math.max(min, 2); // unigrams once
                for (int start = 0; start < length; start++) {
                    Long[] gram = new Long[max];
                    for (int n = 1; n <= max && start + (n - 1) * distance < length; n++) {
                        gram[n - 1] = tokens[start + (n - 1) * distance];
                        Integer column = n >= smallest ? vocabulary.columns().get(Arrays.asList(gram).subList(0, n))
                                : null;
                        if (column != null) {
                            out[row * width + column]++;
                        }
                    }
                }
            }
        }
        String mode = ReductionMath.choice(a, "mode", "tf", "tf", "idf", "tfidf");
        for (int i = 0; i < out.length; i++) {
            double weight = weight(a, i % width);
            out[i] = switch (mode) {
                case "idf" -> out[i] > 0 ? weight : 0;
                case "tfidf" -> out[i] * weight;
                default -> out[i];
            };
        }
        return List.of(NnTypes.floats(ScalarType.F32, shape.length == 1 ? new long[] {width} : new long[] {rows, width},
                out));
    }

    private static double weight(Map<String, Attribute> a, int column) {
        if (!(a.get("weights") instanceof ArrayAttr weights)) {
            return 1;
        }
        if (!(weights.elements().get(column) instanceof FloatAttr f)) {
            throw new InvalidOpException("expects 'weights' to hold floats, found " + weights.text());
        }
        return f.value();
    }
}
