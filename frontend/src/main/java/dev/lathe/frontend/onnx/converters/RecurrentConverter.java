package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.RecurrentOp;
import dev.lathe.ir.dialect.nn.TransposeOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code RNN}, {@code GRU}, {@code LSTM} onto {@code nn.rnn}, {@code nn.gru}, {@code nn.lstm}.
 * Absent {@code B}, {@code initial_h}, {@code initial_c}, {@code P} become zero constants (the
 * states need a static batch size); {@code sequence_lens} stays optional. {@code layout = 1}
 * (opset 14) is undone by {@code nn.transpose}s around the op. Activations default per op
 * (RNN tanh; GRU sigmoid, tanh; LSTM sigmoid, tanh, tanh), one set per direction; names are
 * matched case-insensitively and written snake_case; {@code activation_alpha}/{@code _beta}
 * are consumed in order by the functions that take them (ONNX Runtime's reading), the rest get
 * their ONNX defaults, and both are written out in full. {@code hidden_size} absent: R's last dim.
 */
final class RecurrentConverter implements OnnxOpConverter {

    private static final Map<String, String> NAMES = Map.ofEntries(Map.entry("sigmoid", "sigmoid"),
            Map.entry("tanh", "tanh"), Map.entry("relu", "relu"), Map.entry("leakyrelu", "leaky_relu"),
            Map.entry("thresholdedrelu", "thresholded_relu"), Map.entry("scaledtanh", "scaled_tanh"),
            Map.entry("hardsigmoid", "hard_sigmoid"), Map.entry("elu", "elu"), Map.entry("softsign", "softsign"),
            Map.entry("softplus", "softplus"), Map.entry("affine", "affine"));

    /** Default alpha and beta per function; NaN where the function takes none. */
    private static final Map<String, double[]> DEFAULTS = Map.of("leaky_relu", new double[] {0.01, Double.NaN},
            "thresholded_relu", new double[] {1, Double.NaN}, "scaled_tanh", new double[] {1, 1},
            "hard_sigmoid", new double[] {0.2, 0.5}, "elu", new double[] {1, Double.NaN}, "affine", new double[] {1, 0});

    private final RecurrentOp.Kind kind;

    RecurrentConverter(RecurrentOp.Kind kind) {
        this.kind = kind;
    }

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        String direction = node.stringOr("direction", "forward");
        if (!List.of("forward", "reverse", "bidirectional").contains(direction)) {
            throw node.error("direction must be forward, reverse or bidirectional, found '" + direction + "'");
        }
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        boolean batchMajor = node.intOr("layout", 0) != 0;
        TensorType r = node.inputType(2);
        long hidden = node.has("hidden_size") ? node.intOr("hidden_size", 0) : r.dim(2);
        if (hidden < 1) {
            throw node.error("needs hidden_size (or a static R), found " + hidden);
        }
        Value x = batchMajor ? transpose(ctx, node.input(0), 1, 0, 2) : node.input(0);
        TensorType xt = (TensorType) x.type();
        ScalarType et = xt.elementType();
        long batch = xt.dim(1);
        List<Value> operands = new ArrayList<>(List.of(x, node.input(1), node.input(2)));
        operands.add(node.hasInput(3) ? node.input(3) : zeros(ctx, et, dirs, 2 * kind.gates * hidden));
        operands.add(state(node, ctx, 5, batchMajor, et, dirs, batch, hidden));
        if (kind == RecurrentOp.Kind.LSTM) {
            operands.add(state(node, ctx, 6, batchMajor, et, dirs, batch, hidden));
            operands.add(node.hasInput(7) ? node.input(7) : zeros(ctx, et, dirs, 3 * hidden));
        }
        if (node.hasInput(4)) {
            operands.add(node.input(4));
        }
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("hidden_size", IntegerAttr.of(hidden));
        attrs.put("direction", new StringAttr(direction));
        activations(node, dirs, attrs);
        if (node.has("clip")) {
            attrs.put("clip", new FloatAttr(node.floatOr("clip", 0), ScalarType.F32));
        }
        if (kind == RecurrentOp.Kind.GRU) {
            attrs.put("linear_before_reset", BoolAttr.of(node.intOr("linear_before_reset", 0) != 0));
        }
        if (kind == RecurrentOp.Kind.LSTM) {
            attrs.put("input_forget", BoolAttr.of(node.intOr("input_forget", 0) != 0));
        }
        Operation op = ctx.builder().createOp(kind.opName, operands, attrs);
        List<Value> results = new ArrayList<>();
        for (int i = 0; i < Math.min(node.numOutputs(), op.numResults()); i++) {
            Value v = op.result(i);
            results.add(!batchMajor ? v : i == 0 ? transpose(ctx, v, 2, 0, 1, 3) : transpose(ctx, v, 1, 0, 2));
        }
        return results;
    }

    private Value state(OnnxNode node, ConversionContext ctx, int input, boolean batchMajor, ScalarType et, int dirs,
            long batch, long hidden) {
        if (node.hasInput(input)) {
            return batchMajor ? transpose(ctx, node.input(input), 1, 0, 2) : node.input(input);
        }
        if (batch == TensorType.DYNAMIC) {
            throw node.unsupported("a dynamic batch size without initial states");
        }
        return zeros(ctx, et, dirs, batch, hidden);
    }

    private static Value zeros(ConversionContext ctx, ScalarType et, long... shape) {
        return ctx.constant(DenseElementsAttr.splat(TensorType.of(et, shape), 0));
    }

    private static Value transpose(ConversionContext ctx, Value v, long... perm) {
        return ctx.builder().create(TransposeOp.NAME, List.of(v), Map.of("perm", ArrayAttr.ofLongs(perm)));
    }

    private void activations(OnnxNode node, int dirs, Map<String, Attribute> attrs) {
        List<String> given = node.strings("activations");
        List<String> names = new ArrayList<>();
        if (given == null || given.isEmpty()) {
            List<String> defaults = switch (kind) {
                case RNN -> List.of("tanh");
                case GRU -> List.of("sigmoid", "tanh");
                case LSTM -> List.of("sigmoid", "tanh", "tanh");
            };
            for (int d = 0; d < dirs; d++) {
                names.addAll(defaults);
            }
        } else {
            for (String s : given) {
                String name = NAMES.get(s.toLowerCase(Locale.ROOT));
                if (name == null) {
                    throw node.unsupported("activation '" + s + "'");
                }
                names.add(name);
            }
        }
        if (names.size() != kind.activations * dirs) {
            throw node.error("expects " + kind.activations * dirs + " activations, found " + names.size());
        }
        float[] alphas = node.floats("activation_alpha");
        float[] betas = node.floats("activation_beta");
        int nextAlpha = 0;
        int nextBeta = 0;
        List<Attribute> nameAttrs = new ArrayList<>();
        List<Attribute> alphaAttrs = new ArrayList<>();
        List<Attribute> betaAttrs = new ArrayList<>();
        for (String name : names) {
            double[] defaults = DEFAULTS.getOrDefault(name, new double[] {Double.NaN, Double.NaN});
            double alpha = 0;
            double beta = 0;
            if (!Double.isNaN(defaults[0])) {
                alpha = alphas != null && nextAlpha < alphas.length ? alphas[nextAlpha++] : defaults[0];
            }
            if (!Double.isNaN(defaults[1])) {
                beta = betas != null && nextBeta < betas.length ? betas[nextBeta++] : defaults[1];
            }
            nameAttrs.add(new StringAttr(name));
            alphaAttrs.add(new FloatAttr(alpha, ScalarType.F32));
            betaAttrs.add(new FloatAttr(beta, ScalarType.F32));
        }
        attrs.put("activations", new ArrayAttr(nameAttrs));
        attrs.put("activation_alpha", new ArrayAttr(alphaAttrs));
        attrs.put("activation_beta", new ArrayAttr(betaAttrs));
    }
}
