package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpRegistry;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.BitShiftOp;
import dev.lathe.ir.dialect.nn.ModOp;
import dev.lathe.ir.dialect.nn.PReluOp;
import dev.lathe.ir.dialect.nn.PowOp;
import dev.lathe.ir.dialect.nn.VariadicElementwiseOp;
import dev.lathe.ir.dialect.nn.WhereOp;
import java.util.Locale;
import java.util.Map;

/**
 * The elementwise ONNX ops: unary math and activations, comparisons and logic, the n-ary
 * {@code Max}/{@code Min}/{@code Sum}/{@code Mean}, {@code Pow}, {@code Mod}, {@code BitShift},
 * {@code PRelu}, {@code Where}, {@code Clip}, {@code Cast}/{@code CastLike} and {@code Dropout}.
 * Each is one nn op of the same meaning (see docs/dialects/nn.md), except {@code Clip}
 * ({@code nn.max} then {@code nn.min}) and {@code Dropout} (its input).
 */
public final class ElementwiseConverters {

    private ElementwiseConverters() {}

    public static void registerAll(OnnxOpRegistry r) {
        String[][] plain = {
            {"Abs", "nn.abs"}, {"Neg", "nn.neg"}, {"Sign", "nn.sign"}, {"Ceil", "nn.ceil"}, {"Floor", "nn.floor"},
            {"Round", "nn.round"}, {"Exp", "nn.exp"}, {"Log", "nn.log"}, {"Sqrt", "nn.sqrt"},
            {"Reciprocal", "nn.reciprocal"}, {"Sin", "nn.sin"}, {"Cos", "nn.cos"}, {"Tan", "nn.tan"},
            {"Asin", "nn.asin"}, {"Acos", "nn.acos"}, {"Atan", "nn.atan"}, {"Sinh", "nn.sinh"},
            {"Cosh", "nn.cosh"}, {"Tanh", "nn.tanh"}, {"Asinh", "nn.asinh"}, {"Acosh", "nn.acosh"},
            {"Atanh", "nn.atanh"}, {"Sigmoid", "nn.sigmoid"}, {"Erf", "nn.erf"}, {"Softplus", "nn.softplus"},
            {"Softsign", "nn.softsign"}, {"IsNaN", "nn.is_nan"}, {"Not", "nn.not"}, {"HardSwish", "nn.hard_swish"},
            {"Equal", "nn.equal"}, {"Less", "nn.less"}, {"LessOrEqual", "nn.less_or_equal"},
            {"Greater", "nn.greater"}, {"GreaterOrEqual", "nn.greater_or_equal"},
            {"And", "nn.and"}, {"Or", "nn.or"}, {"Xor", "nn.xor"},
            {"Max", VariadicElementwiseOp.MAX}, {"Min", VariadicElementwiseOp.MIN},
            {"Sum", VariadicElementwiseOp.SUM}, {"Mean", VariadicElementwiseOp.MEAN},
            {"Pow", PowOp.NAME}, {"PRelu", PReluOp.NAME}, {"Where", WhereOp.NAME},
        };
        for (String[] p : plain) {
            r.register(p[0], new ElementwiseConverter(p[1], node -> Map.of()));
        }
        r.register("HardSigmoid", ElementwiseConverter.withFloats("nn.hard_sigmoid", "alpha", "beta"));
        r.register("LeakyRelu", ElementwiseConverter.withFloats("nn.leaky_relu", "alpha"));
        r.register("Elu", ElementwiseConverter.withFloats("nn.elu", "alpha"));
        r.register("Selu", ElementwiseConverter.withFloats("nn.selu", "alpha", "gamma"));
        r.register("Celu", ElementwiseConverter.withFloats("nn.celu", "alpha"));
        r.register("ThresholdedRelu", ElementwiseConverter.withFloats("nn.thresholded_relu", "alpha"));
        r.register("Shrink", ElementwiseConverter.withFloats("nn.shrink", "bias", "lambd"));
        r.register("IsInf", ElementwiseConverter.withBools("nn.is_inf", "detect_negative", "detect_positive"));
        r.register("Mod", new ElementwiseConverter(ModOp.NAME,
                node -> Map.of("fmod", BoolAttr.of(node.intOr("fmod", 0) != 0))));
        r.register("BitShift", new ElementwiseConverter(BitShiftOp.NAME, ElementwiseConverters::direction));
        r.register("Clip", new ClipConverter());
        r.register("Cast", new CastConverter(false));
        r.register("CastLike", new CastConverter(true));
        r.register("Dropout", new DropoutConverter());
    }

    private static Map<String, Attribute> direction(OnnxNode node) {
        String d = node.string("direction");
        if (d == null || !(d.equals("LEFT") || d.equals("RIGHT"))) {
            throw node.error("attribute 'direction' must be \"LEFT\" or \"RIGHT\", found "
                    + (d == null ? "none" : "\"" + d + "\""));
        }
        return Map.of("direction", new StringAttr(d.toLowerCase(Locale.ROOT)));
    }
}
