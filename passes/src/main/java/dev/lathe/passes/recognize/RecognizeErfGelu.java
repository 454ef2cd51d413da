package dev.lathe.passes.recognize;

import static dev.lathe.passes.recognize.GraphMatch.isConstant;
import static dev.lathe.passes.recognize.GraphMatch.soleProducer;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.DivOp;
import dev.lathe.ir.dialect.nn.MulOp;
import java.util.List;

/**
 * The exact GELU {@code x * 0.5 * (1 + erf(x / sqrt(2)))} becomes {@code nn.gelu}; the scaling
 * may be {@code x / 1.4142135} or {@code x * 0.70710677}, and the outer product any grouping
 * ({@link GeluPattern}). Constants match within 1e-6 relative.
 *
 * <pre>
 * %1 = "nn.div"(%x, %sqrt2)   %2 = "nn.erf"(%1)   %3 = "nn.add"(%2, %one)
 * %4 = "nn.mul"(%x, %3)       %5 = "nn.mul"(%4, %half)
 * // becomes
 * %5 = "nn.gelu"(%x) {approximate = "none"}
 * </pre>
 *
 * <p>Numerics: the original rounds after each of its five ops (and uses the rounded constants),
 * {@code nn.gelu} computes in double and rounds once; they differ by float rounding only.
 */
public final class RecognizeErfGelu extends GeluPattern {

    private static final double SQRT_2 = Math.sqrt(2);

    @Override
    String approximate() {
        return "none";
    }

    @Override
    List<Operation> matchActivation(Value f, Value x) {
        Operation erf = soleProducer(f, "nn.erf");
        if (erf == null) {
            return null;
        }
        Value t = erf.operand(0);
        Operation div = soleProducer(t, DivOp.NAME);
        if (div != null && div.operand(0) == x && isConstant(div.operand(1), SQRT_2)) {
            return List.of(erf, div);
        }
        Operation mul = soleProducer(t, MulOp.NAME);
        if (mul != null && GraphMatch.besideConstant(mul, 1 / SQRT_2) == x) {
            return List.of(erf, mul);
        }
        return null;
    }
}
