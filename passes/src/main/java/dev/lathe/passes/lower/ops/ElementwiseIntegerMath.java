package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Value;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.VectorType;
import dev.lathe.passes.lower.LoopBuilder;
import java.util.List;

/**
 * Integer pieces of the elementwise lowerings whose reference has more to it than one loop op:
 * the division-by-zero check, Python's modulo and exact integer powers.
 */
final class ElementwiseIntegerMath {

    private ElementwiseIntegerMath() {}

    /**
     * Asserts that no lane of the integer divisor {@code d} is 0 ({@code message} names the op).
     * {@code loop.div}/{@code loop.rem} give 0 for a zero divisor, so the computation goes on safely.
     */
    static void assertNonZero(LoopBuilder b, Value d, String message) {
        Value nonZero = b.cmp("ne", d, b.constant(d.type(), 0L));
        if (d.type() instanceof VectorType) {
            // all lanes hold: the minimum of the lanes as 0/1 bytes is 1
            nonZero = b.cmp("ne", b.reduce("min", b.cast(nonZero, ScalarType.U8)), b.constant((dev.lathe.ir.type.Type) ScalarType.U8, 0L));
        }
        b.assertTrue(nonZero, message);
    }

    /** Python's {@code x mod y} for signed integers: the remainder takes the sign of the divisor. */
    static Value floorMod(LoopBuilder b, Value x, Value y) {
        Value r = b.rem(x, y);
        Value zero = b.constant(x.type(), 0L);
        Value signsDiffer = b.binary("loop.xor", b.cmp("lt", r, zero), b.cmp("lt", y, zero));
        Value adjust = ElementwiseMath.and(b, b.cmp("ne", r, zero), signsDiffer);
        return b.select(adjust, b.add(r, y), r);
    }

    /**
     * {@code base ^ exponent} on integers as {@link dev.lathe.ir.dialect.nn.PowOp} defines it:
     * repeated squaring in 64 bits wrapping (one step per bit of the exponent's type), then
     * wrapped to the result type; a negative signed exponent gives 1 for base 1, ±1 for base -1
     * by the exponent's parity, else 0.
     */
    static Value power(LoopBuilder b, Value base, Value exponent, ScalarType result) {
        ScalarType expType = ElementwiseMath.elementOf(exponent);
        Value base64 = b.cast(base, ScalarType.I64);
        Value exp64 = b.cast(exponent, ScalarType.I64);
        // unsigned 64-bit lanes: products wrap alike and shifts are logical
        Value square0 = b.cast(base64, ScalarType.U64);
        Value e0 = b.cast(exp64, ScalarType.U64);
        Value one = b.constant(square0.type(), 1L);
        Value zero = b.constant(square0.type(), 0L);
        int bits = expType == ScalarType.I1 ? 1 : 8 * expType.byteSize();
        List<Value> last = b.forRange(b.index(0), b.index(bits), b.index(1), List.of(one, square0, e0), (lb, i, carried) -> {
            Value acc = carried.get(0);
            Value square = carried.get(1);
            Value e = carried.get(2);
            Value odd = lb.cmp("ne", lb.binary("loop.and", e, one), zero);
            return List.of(lb.select(odd, lb.mul(acc, square), acc), lb.mul(square, square), lb.binary("loop.shr", e, one));
        });
        Value r = last.get(0);
        if (!expType.isUnsigned() && expType != ScalarType.I1) {
            Value one64 = b.constant(base64.type(), 1L);
            Value minusOne = b.constant(base64.type(), -1L);
            Value oddExp = b.cmp("ne", b.binary("loop.and", exp64, one64), b.constant(base64.type(), 0L));
            Value negative = b.select(b.cmp("eq", base64, one64), one64,
                    b.select(b.cmp("eq", base64, minusOne), b.select(oddExp, minusOne, one64), b.constant(base64.type(), 0L)));
            r = b.select(b.cmp("lt", exp64, b.constant(base64.type(), 0L)), b.cast(negative, ScalarType.U64), r);
        }
        return b.cast(r, result);
    }
}
