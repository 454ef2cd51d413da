package dev.lathe.frontend;

import dev.lathe.frontend.LatheIRParser.DenseBodyContext;
import dev.lathe.frontend.LatheIRParser.DenseElementContext;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.Numbers;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * {@code dense<...>} bodies: one element (a splat), nested lists whose nesting must match the
 * shape, or {@code "0x..."} raw little-endian bytes (one element's worth is a splat).
 * Float tensors take float literals, integer literals (their value) and hex integers (the bit
 * pattern, for NaN and infinities); integer tensors take integers; i1 takes true, false, 0, 1.
 */
final class DenseLiteralReader {

    private final Problems problems;
    private final Literals literals;

    DenseLiteralReader(Problems problems, Literals literals) {
        this.problems = problems;
        this.literals = literals;
    }

    DenseElementsAttr read(DenseBodyContext body, TensorType type, Token typeToken) {
        if (!type.hasStaticShape()) {
            throw problems.fail(problems.at(typeToken), "dense literal needs a static shape, found " + type.text());
        }
        if (body.STRING() != null) {
            return fromHex(body.STRING().getSymbol(), type);
        }
        DenseElementContext root = body.denseElement();
        long n = type.numElements();
        ScalarType et = type.elementType();
        if (!root.getStart().getText().equals("[")) {
            ByteBuffer one = ByteBuffer.allocate(et.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            encode(root.getStart(), et, one);
            return DenseElementsAttr.fromBytes(type, n == 0 ? new byte[0] : one.array());
        }
        List<Token> leaves = new ArrayList<>();
        List<Long> shape = shapeOf(root, leaves);
        if (leaves.size() != n) {
            throw problems.fail(problems.at(root.getStart()), "dense literal has " + leaves.size()
                    + " elements but " + type.text() + " needs " + n);
        }
        if (!shape.equals(type.shape()) && !(n == 0 && type.shape().subList(0, Math.min(shape.size(),
                type.rank())).equals(shape))) {
            throw problems.fail(problems.at(root.getStart()), "dense literal has shape " + shape
                    + " but " + type.text() + " has shape " + type.shape());
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(n * et.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        for (Token leaf : leaves) {
            encode(leaf, et, buf);
        }
        return DenseElementsAttr.fromBytes(type, buf.array());
    }

    /** The shape a nested list spells (rectangular, or an error), collecting its scalar leaves. */
    private List<Long> shapeOf(DenseElementContext ctx, List<Token> leaves) {
        List<DenseElementContext> items = ctx.denseElement();
        boolean isList = ctx.getStart().getText().equals("[");
        if (!isList) {
            leaves.add(ctx.getStart());
            return List.of();
        }
        List<Long> inner = null;
        for (DenseElementContext item : items) {
            List<Long> s = shapeOf(item, leaves);
            if (inner == null) {
                inner = s;
            } else if (!inner.equals(s)) {
                throw problems.fail(problems.at(item.getStart()), "dense literal is not rectangular: expected "
                        + describe(inner) + ", found " + describe(s));
            }
        }
        List<Long> shape = new ArrayList<>();
        shape.add((long) items.size());
        if (inner != null) {
            shape.addAll(inner);
        }
        return shape;
    }

    private static String describe(List<Long> shape) {
        return shape.isEmpty() ? "a scalar" : "a list of shape " + shape;
    }

    /** Appends one element, converted to the element type, to {@code buf}. */
    private void encode(Token t, ScalarType et, ByteBuffer buf) {
        String text = t.getText();
        switch (t.getType()) {
            case LatheIRLexer.FLOAT -> {
                if (!et.isFloat()) {
                    throw problems.fail(problems.at(t), "float literal " + text + " in a tensor of " + et.text()
                            + " elements");
                }
                putBits(buf, floatBits(text, et), et);
            }
            case LatheIRLexer.INT -> {
                long v = literals.decimal(t);
                if (et.isFloat()) {
                    putBits(buf, Numbers.floatBits(v, et), et);
                } else if (!Numbers.fitsInteger(v, et)) {
                    throw problems.fail(problems.at(t), "integer " + text + " does not fit in " + et.text());
                } else {
                    putBits(buf, v, et);
                }
            }
            case LatheIRLexer.HEX_INT -> {
                long bits = literals.hex(t);
                int width = et.byteSize() * 8;
                if (width < 64 && (bits >>> width) != 0 || et == ScalarType.I1 && bits > 1) {
                    throw problems.fail(problems.at(t), "hex literal " + text + " has more bits than " + et.text());
                }
                putBits(buf, bits, et);
            }
            default -> { // true or false
                if (et != ScalarType.I1) {
                    throw problems.fail(problems.at(t), "'" + text + "' in a tensor of " + et.text()
                            + " elements; true and false are i1 elements");
                }
                putBits(buf, text.equals("true") ? 1 : 0, et);
            }
        }
    }

    /** The bit pattern of a decimal float literal in the given float type. */
    static long floatBits(String text, ScalarType et) {
        return switch (et) {
            case F64 -> Double.doubleToRawLongBits(Double.parseDouble(text));
            case F32 -> Float.floatToRawIntBits(Float.parseFloat(text)) & 0xffffffffL;
            case F16 -> Float.floatToFloat16(Float.parseFloat(text)) & 0xffffL;
            case BF16 -> Numbers.floatToBf16(Float.parseFloat(text)) & 0xffffL;
            default -> throw new IllegalArgumentException("not a float type: " + et);
        };
    }

    private static void putBits(ByteBuffer buf, long bits, ScalarType et) {
        switch (et.byteSize()) {
            case 8 -> buf.putLong(bits);
            case 4 -> buf.putInt((int) bits);
            case 2 -> buf.putShort((short) bits);
            default -> buf.put((byte) bits);
        }
    }

    private DenseElementsAttr fromHex(Token token, TensorType type) {
        String text = token.getText(); // "0x...", quotes included
        if (!text.startsWith("\"0x") || text.length() % 2 != 0) {
            throw problems.fail(problems.at(token), "a dense string must be \"0x\" and an even number of hex digits"
                    + " (the little-endian bytes of the elements)");
        }
        byte[] bytes = decodeHex(problems, token, text, 3, text.length() - 1);
        int size = type.elementType().byteSize();
        long needed = type.numElements() * size;
        if (bytes.length != needed && bytes.length != size) {
            throw problems.fail(problems.at(token), "dense hex literal has " + bytes.length + " byte"
                    + (bytes.length == 1 ? "" : "s") + " but "
                    + type.text() + " needs " + needed + " (or " + size + " for a splat)");
        }
        if (type.elementType() == ScalarType.I1) {
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != 0 && bytes[i] != 1) {
                    throw problems.fail(problems.at(token), "i1 element " + i + " is " + (bytes[i] & 0xff)
                            + " in dense hex literal; i1 bytes must be 0 or 1");
                }
            }
        }
        return DenseElementsAttr.fromBytes(type, bytes);
    }

    /** Decodes hex digits {@code text[from, to)} in linear time, or fails at the first bad digit. */
    static byte[] decodeHex(Problems problems, Token token, String text, int from, int to) {
        try {
            return HexFormat.of().parseHex(text, from, to);
        } catch (IllegalArgumentException e) {
            int bad = from;
            while (bad < to && Character.digit(text.charAt(bad), 16) >= 0) {
                bad++;
            }
            String what = bad < to ? "invalid hex digit '" + text.charAt(bad) + "'" : "odd number of hex digits";
            throw problems.fail(problems.at(token, Math.min(bad, to)), what);
        }
    }
}
