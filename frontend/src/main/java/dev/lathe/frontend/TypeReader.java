package dev.lathe.frontend;

import dev.lathe.frontend.LatheIRParser.FunctionTypeContext;
import dev.lathe.frontend.LatheIRParser.NonFunctionTypeContext;
import dev.lathe.frontend.LatheIRParser.ResultTypesContext;
import dev.lathe.frontend.LatheIRParser.TypeContext;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.VectorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;

/** Types from their parse trees: scalars, {@code tensor<...>} tokens and function types. */
final class TypeReader {

    private final Problems problems;

    TypeReader(Problems problems) {
        this.problems = problems;
    }

    Type type(TypeContext ctx) {
        return ctx.functionType() != null ? functionType(ctx.functionType()) : nonFunctionType(ctx.nonFunctionType());
    }

    List<Type> types(List<TypeContext> ctxs) {
        List<Type> out = new ArrayList<>(ctxs.size());
        for (TypeContext c : ctxs) {
            out.add(type(c));
        }
        return out;
    }

    FunctionType functionType(FunctionTypeContext ctx) {
        return FunctionType.of(types(ctx.type()), resultTypes(ctx.resultTypes()));
    }

    List<Type> resultTypes(ResultTypesContext ctx) {
        if (ctx.nonFunctionType() != null) {
            return List.of(nonFunctionType(ctx.nonFunctionType()));
        }
        return types(ctx.type());
    }

    Type nonFunctionType(NonFunctionTypeContext ctx) {
        if (ctx.TENSOR_TYPE() != null) {
            return tensorType(ctx.TENSOR_TYPE().getSymbol());
        }
        if (ctx.MEMREF_TYPE() != null) {
            return memrefType(ctx.MEMREF_TYPE().getSymbol());
        }
        if (ctx.VECTOR_TYPE() != null) {
            return vectorType(ctx.VECTOR_TYPE().getSymbol());
        }
        if (ctx.SEQUENCE_TYPE() != null || ctx.OPTIONAL_TYPE() != null) {
            return containerType(ctx);
        }
        Token t = ctx.BARE_ID().getSymbol();
        return ScalarType.fromText(t.getText()).orElseThrow(() -> problems.fail(problems.at(t),
                "unknown type " + Problems.quoteForMessage(t.getText())
                        + "; expected f64, f32, f16, bf16, i64, i32, i16, i8, u8, i1, index, tensor<...>, memref<...> or vector<...>"));
    }

    /** {@code !nn.sequence<T>} or {@code !nn.optional<T>}; T is a tensor, sequence or optional type. */
    private Type containerType(NonFunctionTypeContext ctx) {
        Type element = type(ctx.type());
        if (element instanceof FunctionType || element == ScalarType.INDEX) {
            Token t = ctx.getStart();
            throw problems.fail(problems.at(t), Problems.quoteForMessage(t.getText()) + " holds a tensor, sequence, optional or"
                    + " element type, found " + element.text());
        }
        return ctx.SEQUENCE_TYPE() != null ? SequenceType.of(element) : OptionalType.of(element);
    }

    /** {@code tensor<2x?x4xf32>}: dimensions (a number or {@code ?}) each followed by 'x', then the element type. */
    TensorType tensorType(Token token) {
        Shaped s = shaped(token, "tensor<", true);
        return TensorType.of(s.shape(), s.elementType());
    }

    /** {@code memref<4x8xf32>}: like a tensor type, but every dimension static. */
    private MemRefType memrefType(Token token) {
        Shaped s = shaped(token, "memref<", false);
        return MemRefType.of(s.shape(), s.elementType());
    }

    /** {@code vector<16xf32>}: one static length, a power of two from 2 to 64. */
    private VectorType vectorType(Token token) {
        Shaped s = shaped(token, "vector<", false);
        long n = s.shape().size() == 1 ? s.shape().get(0) : -1;
        if (n < 2 || n > VectorType.MAX_LENGTH || Long.bitCount(n) != 1) {
            throw problems.fail(problems.at(token), "expected one vector length, a power of two from 2 to "
                    + VectorType.MAX_LENGTH + ", in " + Problems.quoteForMessage(token.getText()));
        }
        return VectorType.of((int) n, s.elementType());
    }

    private record Shaped(List<Long> shape, ScalarType elementType) {}

    private Shaped shaped(Token token, String prefix, boolean allowDynamic) {
        String text = token.getText();
        int end = text.length() - 1; // the closing '>'
        int pos = prefix.length();
        List<Long> shape = new ArrayList<>();
        while (true) {
            int start = pos;
            if (pos < end && text.charAt(pos) == '?') {
                pos++;
            } else {
                while (pos < end && Character.isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
            if (pos == start || pos >= end || text.charAt(pos) != 'x') {
                pos = start; // not a dimension: the element type starts here
                break;
            }
            String digits = text.substring(start, pos);
            if (!allowDynamic && digits.equals("?")) {
                throw problems.fail(problems.at(token, start), "dimensions of " + prefix + "...> must be static, found '?'");
            }
            shape.add(dimension(token, digits, start));
            pos++; // the 'x'
        }
        String element = text.substring(pos, end);
        ScalarType elementType = ScalarType.fromText(element).orElse(null);
        if (elementType == null || elementType == ScalarType.INDEX) {
            String what = element.isEmpty() ? "nothing" : Problems.quoteForMessage(element);
            String msg = elementType == ScalarType.INDEX ? "index is not a " + prefix.substring(0, prefix.length() - 1) + " element type"
                    : element.isEmpty() || Character.isDigit(element.charAt(0)) || element.charAt(0) == '?'
                            ? "expected a dimension followed by 'x', or an element type, in "
                                    + Problems.quoteForMessage(text) + ", found " + what
                            : "unknown element type " + what + " in " + Problems.quoteForMessage(text)
                                    + "; expected f64, f32, f16, bf16, i64, i32, i16, i8, u8 or i1";
            throw problems.fail(problems.at(token, pos), msg);
        }
        return new Shaped(shape, elementType);
    }

    private long dimension(Token token, String digits, int offset) {
        if (digits.equals("?")) {
            return TensorType.DYNAMIC;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw problems.fail(problems.at(token, offset), "tensor dimension " + digits + " is too large");
        }
    }
}
