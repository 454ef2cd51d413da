package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
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
 * The recurrent layers {@code nn.rnn}, {@code nn.gru}, {@code nn.lstm} (ONNX RNN, GRU, LSTM), in
 * ONNX's sequence-major layout (the importer transposes {@code layout = 1}). Every optional ONNX
 * input but {@code sequence_lens} is explicit (the importer supplies zeros):
 * <ul>
 *   <li>{@code nn.rnn}, {@code nn.gru}: {@code (x, w, r, b, initial_h[, sequence_lens])};</li>
 *   <li>{@code nn.lstm}: {@code (x, w, r, b, initial_h, initial_c, p[, sequence_lens])};</li>
 * </ul>
 * {@code x} {@code [S, B, I]}, {@code w} {@code [D, G·H, I]}, {@code r} {@code [D, G·H, H]},
 * {@code b} {@code [D, 2·G·H]}, states {@code [D, B, H]}, {@code p} {@code [D, 3H]},
 * {@code sequence_lens} {@code [B]} (i32 or i64), with {@code G} = 1, 3, 4 gates (ONNX's gate
 * order: GRU z r h, LSTM i o f c) and {@code D} = 2 when bidirectional. Results {@code y}
 * {@code [S, D, B, H]}, {@code y_h} {@code [D, B, H]} and for LSTM {@code y_c} {@code [D, B, H]}.
 *
 * <p>Attributes: {@code hidden_size} (int, required), {@code direction} ({@code "forward"},
 * {@code "reverse"}, {@code "bidirectional"}), {@code activations} (strings, required: the
 * functions of each direction in turn, 1/2/3 per direction, Lathe's snake_case names of ONNX's),
 * {@code activation_alpha}, {@code activation_beta} (f32 arrays, one per activation, required),
 * {@code clip} (f32, optional: gate inputs clipped to {@code [-clip, clip]}),
 * {@code linear_before_reset} (GRU), {@code input_forget} (LSTM) (bools). Steps at or past a batch
 * entry's sequence length leave {@code y} zero and the state unchanged; the reverse direction
 * runs from its last valid step. One float element type; computed in double, rounded once.
 */
public final class RecurrentOp extends AbstractOpDefinition {

    /** The layers: nn name, gates, activations per direction, results. */
    public enum Kind {
        RNN("nn.rnn", 1, 1), GRU("nn.gru", 3, 2), LSTM("nn.lstm", 4, 3);

        public final String opName;
        public final int gates;
        public final int activations;

        Kind(String opName, int gates, int activations) {
            this.opName = opName;
            this.gates = gates;
            this.activations = activations;
        }

        /** Operands before the optional sequence_lens. */
        public int fixedOperands() {
            return this == LSTM ? 7 : 5;
        }
    }

    private final Kind kind;

    public RecurrentOp(Kind kind) {
        super(kind.opName, "a " + kind.name() + " layer over a sequence",
                new OpSchema(kind.fixedOperands(), kind.fixedOperands() + 1, kind == Kind.LSTM ? 3 : 2, 0, List.of(
                        AttrSpec.required("hidden_size", IntegerAttr.class), AttrSpec.optional("direction", StringAttr.class),
                        AttrSpec.required("activations", ArrayAttr.class),
                        AttrSpec.required("activation_alpha", ArrayAttr.class),
                        AttrSpec.required("activation_beta", ArrayAttr.class), AttrSpec.optional("clip", FloatAttr.class),
                        AttrSpec.optional("linear_before_reset", BoolAttr.class),
                        AttrSpec.optional("input_forget", BoolAttr.class)), false),
                Set.of(Trait.PURE));
        this.kind = kind;
    }

    static List<OpDefinition> all() {
        return Arrays.stream(Kind.values()).map(k -> (OpDefinition) new RecurrentOp(k)).toList();
    }

    private static int directions(Map<String, Attribute> a) {
        return ReductionMath.choice(a, "direction", "forward", "forward", "reverse", "bidirectional")
                .equals("bidirectional") ? 2 : 1;
    }

    /** The activations of direction {@code d}. */
    private List<RecurrentCells.Activation> activations(Map<String, Attribute> a, int d) {
        List<Attribute> names = ((ArrayAttr) a.get("activations")).elements();
        List<Attribute> alphas = ((ArrayAttr) a.get("activation_alpha")).elements();
        List<Attribute> betas = ((ArrayAttr) a.get("activation_beta")).elements();
        int n = kind.activations * directions(a);
        if (names.size() != n || alphas.size() != n || betas.size() != n) {
            throw new InvalidOpException("expects " + n + " activations with as many alphas and betas, found "
                    + names.size() + ", " + alphas.size() + " and " + betas.size());
        }
        List<RecurrentCells.Activation> out = new ArrayList<>();
        for (int i = d * kind.activations; i < (d + 1) * kind.activations; i++) {
            if (!(names.get(i) instanceof StringAttr s) || !(alphas.get(i) instanceof FloatAttr alpha)
                    || !(betas.get(i) instanceof FloatAttr beta)) {
                throw new InvalidOpException("expects activations as strings and their alphas and betas as floats, found "
                        + names.get(i).text() + ", " + alphas.get(i).text() + ", " + betas.get(i).text());
            }
            out.add(new RecurrentCells.Activation(s.value(), alpha.value(), beta.value()));
        }
        return out;
    }

    @Override
    public List<Type> inferResultTypes(List<Type> operandTypes, Map<String, Attribute> attributes) {
        long hidden = ReductionMath.integer(attributes, "hidden_size", 0);
        int dirs = directions(attributes);
        activations(attributes, 0);
        TensorType x = NnTypes.tensor(operandTypes, 0);
        ReductionMath.requireFloat(x, "x");
        if (x.rank() != 3 || hidden < 1) {
            throw new InvalidOpException("expects x of shape [seq, batch, input] and hidden_size >= 1, found "
                    + x.text() + " and " + hidden);
        }
        long batch = x.dim(1);
        long g = kind.gates * hidden;
        expect(operandTypes, 1, x, "w", dirs, g, x.dim(2));
        expect(operandTypes, 2, x, "r", dirs, g, hidden);
        expect(operandTypes, 3, x, "b", dirs, 2 * g);
        expect(operandTypes, 4, x, "initial_h", dirs, batch, hidden);
        if (kind == Kind.LSTM) {
            expect(operandTypes, 5, x, "initial_c", dirs, batch, hidden);
            expect(operandTypes, 6, x, "p", dirs, 3 * hidden);
        }
        if (operandTypes.size() > kind.fixedOperands()) {
            TensorType lens = NnTypes.tensor(operandTypes, kind.fixedOperands());
            String et = lens.elementType().text();
            if (!(et.equals("i32") || et.equals("i64")) || lens.rank() != 1 || !ReductionMath.compatible(lens.dim(0), batch)) {
                throw new InvalidOpException("expects sequence_lens of shape [" + batch + "] (i32 or i64), found "
                        + lens.text());
            }
        }
        TensorType state = TensorType.of(x.elementType(), dirs, batch, hidden);
        TensorType y = TensorType.of(x.elementType(), x.dim(0), dirs, batch, hidden);
        return kind == Kind.LSTM ? List.of(y, state, state) : List.of(y, state);
    }

    private static void expect(List<Type> operandTypes, int i, TensorType x, String what, long... shape) {
        TensorType t = NnTypes.tensor(operandTypes, i);
        boolean ok = t.elementType() == x.elementType() && t.rank() == shape.length;
        for (int d = 0; ok && d < shape.length; d++) {
            ok = ReductionMath.compatible(t.dim(d), shape[d]);
        }
        if (!ok) {
            throw new InvalidOpException("expects " + what + " of type " + TensorType.of(x.elementType(), shape).text()
                    + ", found " + t.text());
        }
    }

    @Override
    public boolean hasReferenceSemantics() {
        return true;
    }

    @Override
    public List<DenseElementsAttr> evaluate(Operation op, List<DenseElementsAttr> operands) {
        Map<String, Attribute> a = op.attributes();
        DenseElementsAttr x = operands.get(0);
        int seq = (int) x.type().dim(0);
        int batch = (int) x.type().dim(1);
        int input = (int) x.type().dim(2);
        int hidden = (int) ReductionMath.integer(a, "hidden_size", 0);
        int dirs = directions(a);
        boolean reverse = ReductionMath.choice(a, "direction", "forward", "forward", "reverse", "bidirectional")
                .equals("reverse");
        double clip = a.containsKey("clip") ? ReductionMath.real(a, "clip", 0) : Double.POSITIVE_INFINITY;
        DenseElementsAttr lens = operands.size() > kind.fixedOperands() ? operands.get(kind.fixedOperands()) : null;
        int gh = kind.gates * hidden;
        double[] y = new double[seq * dirs * batch * hidden];
        double[] yh = new double[dirs * batch * hidden];
        double[] yc = new double[dirs * batch * hidden];
        for (int d = 0; d < dirs; d++) {
            List<RecurrentCells.Activation> f = activations(a, d);
            double[] b = slice(operands.get(3), d * 2 * gh, 2 * gh);
            RecurrentCells.Weights k = new RecurrentCells.Weights(slice(operands.get(1), d * gh * input, gh * input),
                    slice(operands.get(2), d * gh * hidden, gh * hidden), Arrays.copyOf(b, gh),
                    Arrays.copyOfRange(b, gh, 2 * gh),
                    kind == Kind.LSTM ? slice(operands.get(6), d * 3 * hidden, 3 * hidden) : null, input, hidden);
            boolean backward = reverse || d == 1;
            for (int n = 0; n < batch; n++) {
                int length = lens == null ? seq : (int) Math.max(0, Math.min(seq, lens.getLong(n)));
                int at = (d * batch + n) * hidden;
                double[] h = slice(operands.get(4), at, hidden);
                double[] c = kind == Kind.LSTM ? slice(operands.get(5), at, hidden) : null;
                for (int step = 0; step < length; step++) {
                    int t = backward ? length - 1 - step : step;
                    double[] xt = slice(x, (t * batch + n) * input, input);
                    h = switch (kind) {
                        case RNN -> RecurrentCells.rnn(k, xt, h, f, clip);
                        case GRU -> RecurrentCells.gru(k, xt, h, f, clip, NnTypes.bool(a, "linear_before_reset", false));
                        case LSTM -> RecurrentCells.lstm(k, xt, h, c, f, clip, NnTypes.bool(a, "input_forget", false));
                    };
                    System.arraycopy(h, 0, y, ((t * dirs + d) * batch + n) * hidden, hidden);
                }
                System.arraycopy(h, 0, yh, at, hidden);
                if (c != null) {
                    System.arraycopy(c, 0, yc, at, hidden);
                }
            }
        }
        var et = x.elementType();
        long[] state = {dirs, batch, hidden};
        DenseElementsAttr yOut = NnTypes.floats(et, new long[] {seq, dirs, batch, hidden}, y);
        return kind == Kind.LSTM
                ? List.of(yOut, NnTypes.floats(et, state, yh), NnTypes.floats(et, state, yc))
                : List.of(yOut, NnTypes.floats(et, state, yh));
    }

    private static double[] slice(DenseElementsAttr v, int from, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = v.getDouble(from + i);
        }
        return out;
    }
}
