package dev.lathe.passes.recognize;

import static dev.lathe.passes.recognize.GraphMatch.besideConstant;
import static dev.lathe.passes.recognize.GraphMatch.isConstant;
import static dev.lathe.passes.recognize.GraphMatch.other;
import static dev.lathe.passes.recognize.GraphMatch.soleProducer;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.AddOp;
import dev.lathe.ir.dialect.nn.MulOp;
import dev.lathe.ir.dialect.nn.PowOp;
import java.util.List;

/**
 * The tanh GELU {@code 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))} becomes
 * {@code nn.gelu {approximate = "tanh"}}; {@code x^3} may be {@code pow(x, 3)} or
 * {@code x * (x * x)}, every product and sum in either operand order, the outer product any
 * grouping ({@link GeluPattern}). Constants match within 1e-6 relative.
 *
 * <pre>
 * %c = "nn.pow"(%x, %three)   %k = "nn.mul"(%c, %a)      %s = "nn.add"(%x, %k)
 * %u = "nn.mul"(%s, %b)       %t = "nn.tanh"(%u)         %p = "nn.add"(%t, %one)
 * %h = "nn.mul"(%x, %half)    %y = "nn.mul"(%h, %p)
 * // becomes
 * %y = "nn.gelu"(%x) {approximate = "tanh"}
 * </pre>
 *
 * <p>Numerics: the original rounds after each op, {@code nn.gelu} computes in double and rounds
 * once; they differ by float rounding only.
 */
public final class RecognizeTanhGelu extends GeluPattern {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double CUBIC = 0.044715;

    @Override
    String approximate() {
        return "tanh";
    }

    @Override
    List<Operation> matchActivation(Value f, Value x) {
        Operation tanh = soleProducer(f, "nn.tanh");
        Operation scale = tanh == null ? null : soleProducer(tanh.operand(0), MulOp.NAME);
        Value sum = scale == null ? null : besideConstant(scale, SQRT_2_OVER_PI);
        Operation add = sum == null ? null : soleProducer(sum, AddOp.NAME);
        Value term = add == null ? null : other(add, x);
        Operation cubic = term == null ? null : soleProducer(term, MulOp.NAME);
        Value cube = cubic == null ? null : besideConstant(cubic, CUBIC);
        Operation cubeOp = cube == null ? null : matchCube(cube, x);
        return cubeOp == null ? null : List.of(tanh, scale, add, cubic, cubeOp);
    }

    /** The op computing {@code x^3} into {@code cube}, or null. */
    private static Operation matchCube(Value cube, Value x) {
        Operation pow = soleProducer(cube, PowOp.NAME);
        if (pow != null) {
            return pow.operand(0) == x && isConstant(pow.operand(1), 3.0) ? pow : null;
        }
        Operation mul = soleProducer(cube, MulOp.NAME);
        Value squared = mul == null ? null : other(mul, x);
        Operation square = squared == null ? null : soleProducer(squared, MulOp.NAME);
        return square != null && square.operand(0) == x && square.operand(1) == x ? mul : null;
    }
}
