package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nn.einsum}: Einstein summation (ONNX Einsum, numpy's einsum). Attribute {@code equation}
 * (string, required): one term of letters per operand, separated by commas, optionally
 * {@code ->} and the output term; without it the output is {@code ...} followed by the letters
 * used exactly once, in alphabetical order. {@code ...} stands for the dims not named by letters
 * (they broadcast across operands, aligned right). A letter repeated in one term takes the
 * diagonal; letters missing from the output are summed over. Spaces are ignored. One or more
 * operands of one arithmetic element type.
 *
 * <p>{@code %z = "nn.einsum"(%x, %y) {equation = "bij,bjk->bik"} : (tensor<5x2x3xf32>,
 * tensor<5x3x4xf32>) -> tensor<5x2x4xf32>}
 *
 * <p>Floats accumulate in double from {@code -0.0} and round once; integers wrap.
 */
public final class EinsumOp extends AbstractOpDefinition {

    public static final String NAME = "nn.einsum";

    /** Labels 0-51 are letters; labels 52 + j are the dims of the broadcast ellipsis. */
    private static final int ELLIPSIS = 52;

    public EinsumOp() {
        super(NAME, "Einstein summation over an equation such as 'bij,bjk->bik' (ONNX Einsum)",
                new OpSchema(1, OpSchema.VARIADIC, 1, 0, List.of(AttrSpec.required("equation", StringAttr.class)), false),
                Set.of(Trait.PURE));
    }

    /** The parsed equation applied to operand shapes: label per operand dim and output dim, size per label. */
    public record Plan(int[][] inputs, int[] output, long[] sizes) {}

    public static Plan plan(String equation, List<TensorType> operands) {
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String[] terms = (arrow < 0 ? eq : eq.substring(0, arrow)).split(",", -1);
        if (terms.length != operands.size()) {
            throw new InvalidOpException("equation '" + equation + "' has " + terms.length + " input terms but the op has "
                    + operands.size() + " operands");
        }
        int ellipsisRank = 0;
        int[] ranks = new int[terms.length];
        for (int i = 0; i < terms.length; i++) {
            int letters = terms[i].replace("...", "").length();
            int rank = operands.get(i).rank();
            ranks[i] = terms[i].contains("...") ? rank - letters : 0;
            if (ranks[i] < 0 || !terms[i].contains("...") && letters != rank) {
                throw new InvalidOpException("equation term '" + terms[i] + "' does not fit operand #" + i + " "
                        + operands.get(i).text());
            }
            ellipsisRank = Math.max(ellipsisRank, ranks[i]);
        }
        long[] sizes = new long[ELLIPSIS + ellipsisRank];
        Arrays.fill(sizes, -2); // unseen
        int[] counts = new int[ELLIPSIS];
        int[][] inputs = new int[terms.length][];
        for (int i = 0; i < terms.length; i++) {
            inputs[i] = labels(terms[i], ranks[i], ellipsisRank, counts);
            for (int d = 0; d < inputs[i].length; d++) {
                sizes[inputs[i][d]] = merge(sizes[inputs[i][d]], operands.get(i).dim(d), equation);
            }
        }
        int[] output;
        if (arrow >= 0) {
            String out = eq.substring(arrow + 2);
            output = labels(out, out.contains("...") ? ellipsisRank : 0, ellipsisRank, new int[ELLIPSIS]);
            for (int label : output) {
                if (sizes[label] == -2) {
                    throw new InvalidOpException("output label of '" + equation + "' appears in no input");
                }
            }
        } else {
            List<Integer> labels = new ArrayList<>();
            for (int j = 0; j < ellipsisRank; j++) {
                labels.add(ELLIPSIS + j);
            }
            for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray()) {
                if (counts[letter(c)] == 1) {
                    labels.add(letter(c));
                }
            }
            output = labels.stream().mapToInt(Integer::intValue).toArray();
        }
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = sizes[i] == -2 ? 1 : sizes[i];
        }
        return new Plan(inputs, output, sizes);
    }

    private static int letter(char c) {
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= 'A' && c <= 'Z') {
            return 26 + c - 'A';
        }
        throw new InvalidOpException("equation has '" + c + "', expected letters, ',', '...' and '->'");
    }

    private static int[] labels(String term, int ownEllipsis, int ellipsisRank, int[] counts) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < term.length(); p++) {
            if (term.startsWith("...", p)) {
                for (int j = 0; j < ownEllipsis; j++) {
                    out.add(ELLIPSIS + ellipsisRank - ownEllipsis + j);
                }
                p += 2;
            } else {
                int l = letter(term.charAt(p));
                counts[l]++;
                out.add(l);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The size of a label seen as {@code dim}; 1 broadcasts, {@code ?} yields to a static size. */
    private static long merge(long known, long dim, String equation) {
        if (known == -2 || known == 1 || known == TensorType.DYNAMIC && dim != 1) {
            return dim;
        }
        if (dim == 1 || dim == TensorType.DYNAMIC || dim == known) {
            return known;
        }
        throw new InvalidOpException("equation '" + equation + "' gives one label the sizes " + known + " and " + dim);
    }

    private static List<TensorType> types(List<Type> operandTypes) {
        List<TensorType> out = new ArrayList<>();
        for (int i = 0; i < operandTypes.size(); i++) {
            out.add(NnTypes.tensor(operandTypes, i));
            NnTypes.requireSameElementType(out.get(0), out.get(i));
        }
        NnTypes.requireArithmetic(out.get(0));
        return out;
    }

    private static String equation(Map<String, Attribute> attributes) {
        if (!(attributes.get("equation") instanceof StringAttr s)) {
            throw new InvalidOpException("expects a string attribute 'equation', found " + attributes.get("equation"));
        }
        return s.value();
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        List<TensorType> ts = types(operandTypes);
        Plan p = plan(equation(attributes), ts);
        long[] shape = Arrays.stream(p.output()).mapToLong(l -> p.sizes()[l]).toArray();
        return List.of(NnTypes.type(ts.get(0).elementType(), shape));
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        List<TensorType> ts = operands.stream().map(DenseElementsAttr::type).toList();
        Plan p = plan(equation(op.attributes()), ts);
        // Loop over every label: output labels first (row-major), then the summed ones.
        boolean[] inOutput = new boolean[p.sizes().length];
        List<Integer> order = new ArrayList<>();
        for (int l : p.output()) {
            inOutput[l] = true;
            order.add(l);
        }
        boolean[] used = new boolean[p.sizes().length];
        for (int[] in : p.inputs()) {
            for (int l : in) {
                used[l] = true;
            }
        }
        for (int l = 0; l < used.length; l++) {
            if (used[l] && !inOutput[l]) {
                order.add(l);
            }
        }
        long[] loopShape = order.stream().mapToLong(l -> p.sizes()[l]).toArray();
        long[][] strides = new long[operands.size()][];
        for (int i = 0; i < operands.size(); i++) {
            long[] shape = ts.get(i).shapeArray();
            long[] own = IndexMath.strides(shape);
            strides[i] = new long[order.size()];
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] != 1) {
                    strides[i][order.indexOf(p.inputs()[i][d])] += own[d]; // repeated labels add up: the diagonal
                }
            }
        }
        long[] outShape = Arrays.stream(p.output()).mapToLong(l -> p.sizes()[l]).toArray();
        int outSize = IndexMath.count(outShape);
        long[] sumShape = Arrays.copyOfRange(loopShape, p.output().length, loopShape.length);
        int terms = IndexMath.count(sumShape);
        int[][] offsets = new int[operands.size()][];
        for (int i = 0; i < operands.size(); i++) {
            offsets[i] = IndexMath.offsets(loopShape, strides[i]);
        }
        boolean isFloat = operands.get(0).elementType().isFloat();
        double[] fy = new double[isFloat ? outSize : 0];
        long[] ly = new long[isFloat ? 0 : outSize];
        double[][] fx = operands.stream().map(a -> isFloat ? a.toDoubles() : null).toArray(double[][]::new);
        long[][] lx = operands.stream().map(a -> isFloat ? null : a.toLongs()).toArray(long[][]::new);
        for (int o = 0; o < outSize; o++) {
            double facc = NnTypes.sumStart(terms);
            long lacc = 0;
            for (int t = 0; t < terms; t++) {
                int at = o * terms + t;
                double fp = 1;
                long lp = 1;
                for (int i = 0; i < operands.size(); i++) {
                    if (isFloat) {
                        fp *= fx[i][offsets[i][at]];
                    } else {
                        lp *= lx[i][offsets[i][at]];
                    }
                }
                facc += fp;
                lacc += lp;
            }
            if (isFloat) {
                fy[o] = facc;
            } else {
                ly[o] = lacc;
            }
        }
        return List.of(isFloat ? NnTypes.floats(operands.get(0).elementType(), outShape, fy)
                : NnTypes.integers(operands.get(0).elementType(), outShape, ly));
    }
}
