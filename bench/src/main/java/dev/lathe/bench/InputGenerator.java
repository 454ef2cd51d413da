package dev.lathe.bench;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Inputs for a model from its signature alone, the same for every engine (issue 5):
 * <ul>
 *   <li>integer inputs whose name contains {@code ids}: ids uniform in [0, 1000); except
 *       {@code token_type_ids} (a name with {@code type} in it), which are segment ids of a
 *       vocabulary of 2 in BERT-like models (an id of 1000 would index out of the embedding):
 *       zeros, as for other integers;</li>
 *   <li>integer inputs whose name contains {@code mask}: ones;</li>
 *   <li>other integer and boolean inputs: zeros;</li>
 *   <li>float inputs: uniform in [-1, 1), rounded to the element type;</li>
 *   <li>an input named in {@code values} is filled with that one value instead (e.g. Silero's
 *       {@code sr=16000}, which picks the 16 kHz branch).</li>
 * </ul>
 * A dynamic dimension takes {@code dims[its symbolic name]} when given, else {@code batch} when it
 * is named like a batch or is the first dimension (unless named like a sequence), else {@code seq}. Seeded, so every run of the
 * bench feeds the same numbers.
 */
public final class InputGenerator {

    /** Ids are drawn below this bound (the issue's [0, 1000)). */
    public static final int ID_BOUND = 1000;

    private final int batch;
    private final int seq;
    private final Map<String, Long> dims;
    private final Map<String, Double> values;
    private final long seed;

    public InputGenerator(int batch, int seq, Map<String, Long> dims, Map<String, Double> values, long seed) {
        this.batch = batch;
        this.seq = seq;
        this.dims = Map.copyOf(dims);
        this.values = Map.copyOf(values);
        this.seed = seed;
    }

    public InputGenerator(int batch, int seq) {
        this(batch, seq, Map.of(), Map.of(), 5);
    }

    /** The concrete shape of {@code spec}'s input. */
    public long[] shape(InputSpec spec) {
        long[] shape = spec.shape().clone();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0) {
                continue;
            }
            String name = spec.dimNames()[i];
            Long given = dims.get(name);
            if (given != null) {
                shape[i] = given;
            } else if (isBatch(name, i)) {
                shape[i] = batch;
            } else {
                shape[i] = seq;
            }
        }
        return shape;
    }

    /** A dimension named like a batch, or a first dimension not named like a sequence. */
    private static boolean isBatch(String dimName, int index) {
        String n = dimName.toLowerCase(Locale.ROOT);
        return n.contains("batch") || (index == 0 && !n.contains("seq"));
    }

    /** One value per input, in the order given, keyed by input name. */
    public Map<String, DenseElementsAttr> generate(List<InputSpec> specs) {
        Map<String, DenseElementsAttr> out = new LinkedHashMap<>();
        Random random = new Random(seed);
        for (InputSpec spec : specs) {
            out.put(spec.name(), generate(spec, random));
        }
        return out;
    }

    private DenseElementsAttr generate(InputSpec spec, Random random) {
        TensorType type = TensorType.of(spec.elementType(), shape(spec));
        int n = Math.toIntExact(type.numElements());
        Double fill = values.get(spec.name());
        String lower = spec.name().toLowerCase(Locale.ROOT);
        ScalarType et = spec.elementType();
        if (et.isFloat()) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                // Rounded to f32 so that the value each engine reads is exactly this one.
                v[i] = fill != null ? fill : (float) (random.nextDouble() * 2 - 1);
            }
            return DenseElementsAttr.fromDoubles(type, v);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            if (fill != null) {
                v[i] = fill.longValue();
            } else if (et.kind() != ScalarType.Kind.BOOL && lower.contains("ids") && !lower.contains("type")) {
                v[i] = random.nextInt(ID_BOUND);
            } else if (lower.contains("mask")) {
                v[i] = 1;
            }
        }
        return DenseElementsAttr.fromLongs(type, v);
    }
}
