package dev.lathe.ir.attr;

import dev.lathe.ir.type.ScalarType;

/** Number conversions shared by attributes, the printer and the parser. */
public final class Numbers {

    private Numbers() {}

    public static boolean fitsInteger(long v, ScalarType t) {
        return switch (t) {
            case I64, INDEX -> true;
            case I32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            case I16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case I8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case U8 -> v >= 0 && v <= 255;
            case U16 -> v >= 0 && v <= 0xffff;
            case U32 -> v >= 0 && v <= 0xffffffffL;
            case U64 -> true; // the 64 bits, read as unsigned
            case I1 -> v == 0 || v == 1;
            default -> false;
        };
    }

    /** Rounds a double to the nearest value of a float type (round to nearest even). */
    public static double roundTo(double v, ScalarType t) {
        return switch (t) {
            case F64 -> v;
            case F32 -> (float) v;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16((float) v));
            case BF16 -> bf16ToFloat(floatToBf16((float) v));
            default -> throw new IllegalArgumentException("not a float type: " + t);
        };
    }

    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40); // keep it a quiet NaN
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /** The raw bit pattern of a float value in its type's width, as MLIR's hex float form. */
    public static long floatBits(double v, ScalarType t) {
        return switch (t) {
            case F64 -> Double.doubleToRawLongBits(v);
            case F32 -> Float.floatToRawIntBits((float) v) & 0xffffffffL;
            case F16 -> Float.floatToFloat16((float) v) & 0xffffL;
            case BF16 -> floatToBf16((float) v) & 0xffffL;
            default -> throw new IllegalArgumentException("not a float type: " + t);
        };
    }

    public static double floatFromBits(long bits, ScalarType t) {
        return switch (t) {
            case F64 -> Double.longBitsToDouble(bits);
            case F32 -> Float.intBitsToFloat((int) bits);
            case F16 -> Float.float16ToFloat((short) bits);
            case BF16 -> bf16ToFloat((short) bits);
            default -> throw new IllegalArgumentException("not a float type: " + t);
        };
    }

    /**
     * Shortest text that reads back to the same value of type {@code t}; NaN and infinities use
     * the hex bit pattern ({@code 0x7FC00000}) since they have no decimal form.
     */
    public static String formatFloat(double v, ScalarType t) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            int digits = t.byteSize() * 2;
            return "0x" + String.format("%0" + digits + "X", floatBits(v, t));
        }
        String s = t == ScalarType.F64 ? Double.toString(v) : Float.toString((float) v);
        return s.replace('E', 'e');
    }

    /** Identifier characters that need no quoting in attribute keys and symbol names. */
    public static boolean isBareIdentifier(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.'))) {
                return false;
            }
        }
        return true;
    }
}
