package dev.lathe.frontend;

import dev.lathe.frontend.LatheIRParser.ArrayAttrContext;
import dev.lathe.frontend.LatheIRParser.AttrDictContext;
import dev.lathe.frontend.LatheIRParser.AttrEntryContext;
import dev.lathe.frontend.LatheIRParser.AttrKeyContext;
import dev.lathe.frontend.LatheIRParser.AttrValueContext;
import dev.lathe.frontend.LatheIRParser.BoolAttrContext;
import dev.lathe.frontend.LatheIRParser.DenseAttrContext;
import dev.lathe.frontend.LatheIRParser.DenseResourceAttrContext;
import dev.lathe.frontend.LatheIRParser.NumberAttrContext;
import dev.lathe.frontend.LatheIRParser.ResourceKeyContext;
import dev.lathe.frontend.LatheIRParser.StringAttrContext;
import dev.lathe.frontend.LatheIRParser.SymbolAttrContext;
import dev.lathe.frontend.LatheIRParser.TypeAttrContext;
import dev.lathe.frontend.LatheIRParser.TypeContext;
import dev.lathe.frontend.LatheIRParser.UnitAttrContext;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.Numbers;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.attr.SymbolRefAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.attr.UnitAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.antlr.v4.runtime.Token;

/** Attribute values and dictionaries from their parse trees. */
final class AttributeReader {

    private final Problems problems;
    private final Literals literals;
    private final TypeReader types;
    private final DenseLiteralReader dense;
    private final Map<String, ResourceBlob> resources;
    private final java.util.Set<String> brokenResources = new java.util.HashSet<>();

    /** {@code resources}: the module's blobs, which {@code dense_resource} names must be among. */
    AttributeReader(Problems problems, Literals literals, TypeReader types, Map<String, ResourceBlob> resources) {
        this.problems = problems;
        this.literals = literals;
        this.types = types;
        this.dense = new DenseLiteralReader(problems, literals);
        this.resources = resources;
    }

    /** A dictionary, keys unique; a key without a value is a unit attribute. */
    TreeMap<String, Attribute> dictionary(AttrDictContext ctx) {
        TreeMap<String, Attribute> out = new TreeMap<>();
        if (ctx == null) {
            return out;
        }
        for (AttrEntryContext e : ctx.attrEntry()) {
            String key = key(e.attrKey());
            Attribute value = e.attrValue() == null ? UnitAttr.INSTANCE : value(e.attrValue());
            if (out.putIfAbsent(key, value) != null) {
                throw problems.fail(problems.at(e), "duplicate attribute " + Problems.quoteForMessage(key));
            }
        }
        return out;
    }

    private String key(AttrKeyContext ctx) {
        return ctx.STRING() != null ? literals.string(ctx.STRING().getSymbol()) : ctx.getText();
    }

    /** A blob that failed to decode: uses of its name raise no second error. */
    void resourceFailed(String name) {
        brokenResources.add(name);
    }

    String resourceKey(ResourceKeyContext ctx) {
        return ctx.STRING() != null ? literals.string(ctx.STRING().getSymbol()) : ctx.getText();
    }

    Attribute value(AttrValueContext ctx) {
        return switch (ctx) {
            case NumberAttrContext n -> number(n.number().getStart(), n.type());
            case StringAttrContext s -> new StringAttr(literals.string(s.STRING().getSymbol()));
            case BoolAttrContext b -> BoolAttr.of(b.getText().equals("true"));
            case UnitAttrContext u -> UnitAttr.INSTANCE;
            case ArrayAttrContext a -> array(a);
            case SymbolAttrContext s -> new SymbolRefAttr(literals.symbol(s.SYMBOL().getSymbol()));
            case DenseAttrContext d -> dense.read(d.denseBody(), tensorType(d.type(), "dense"), d.type().getStart());
            case DenseResourceAttrContext d -> denseResource(d);
            case TypeAttrContext t -> new TypeAttr(types.type(t.type()));
            default -> throw new IllegalStateException("unhandled attribute form " + ctx.getClass().getSimpleName());
        };
    }

    private ArrayAttr array(ArrayAttrContext ctx) {
        List<Attribute> elements = new ArrayList<>(ctx.attrValue().size());
        for (AttrValueContext v : ctx.attrValue()) {
            elements.add(value(v));
        }
        return new ArrayAttr(elements);
    }

    private TensorType tensorType(TypeContext ctx, String what) {
        Type t = types.type(ctx);
        if (!(t instanceof TensorType tt)) {
            throw problems.fail(problems.at(ctx), what + " needs a tensor type, found " + t.text());
        }
        return tt;
    }

    private DenseResourceAttr denseResource(DenseResourceAttrContext ctx) {
        String name = resourceKey(ctx.resourceKey());
        TensorType type = tensorType(ctx.type(), "dense_resource");
        ResourceBlob blob = resources.get(name);
        if (blob == null && brokenResources.contains(name)) {
            return new DenseResourceAttr(name, type);
        }
        if (blob == null) {
            throw problems.fail(problems.at(ctx.resourceKey()), "undefined resource " + Problems.quoteForMessage(name)
                    + " in dense_resource; the module's resource section has no blob of that name");
        }
        if (type.hasStaticShape() && blob.size() != type.numElements() * type.elementType().byteSize()) {
            throw problems.fail(problems.at(ctx.type()), "resource " + Problems.quoteForMessage(name) + " has "
                    + blob.size() + " bytes but " + type.text() + " needs "
                    + type.numElements() * type.elementType().byteSize());
        }
        return new DenseResourceAttr(name, type);
    }

    /**
     * {@code 3}, {@code 0x1F}, {@code 1.5}, each with an optional scalar type: integers default to
     * i64 and floats to f64; a hex integer with a float type is that float's bit pattern.
     */
    private Attribute number(Token literal, TypeContext typeCtx) {
        Type type = typeCtx == null ? null : types.type(typeCtx);
        if (type != null && !(type instanceof ScalarType)) {
            throw problems.fail(problems.at(typeCtx), "a number's type must be a scalar type, found " + type.text());
        }
        ScalarType t = (ScalarType) type;
        String text = literal.getText();
        return switch (literal.getType()) {
            case LatheIRLexer.FLOAT -> {
                if (t == null) {
                    yield FloatAttr.of(Double.parseDouble(text));
                }
                if (!t.isFloat()) {
                    throw problems.fail(problems.at(typeCtx), "float literal " + text + " cannot have integer type "
                            + t.text());
                }
                yield new FloatAttr(Numbers.floatFromBits(DenseLiteralReader.floatBits(text, t), t), t);
            }
            case LatheIRLexer.HEX_INT -> hexNumber(literal, t == null ? ScalarType.I64 : t, typeCtx);
            default -> {
                long v = literals.decimal(literal);
                ScalarType it = t == null ? ScalarType.I64 : t;
                if (it.isFloat()) {
                    throw problems.fail(problems.at(literal), "integer literal " + text + " with float type "
                            + it.text() + "; write " + text + ".0, or a hex bit pattern");
                }
                yield integer(literal, v, it);
            }
        };
    }

    private Attribute hexNumber(Token literal, ScalarType t, TypeContext typeCtx) {
        long bits = literals.hex(literal);
        int width = t.byteSize() * 8;
        if (width < 64 && (bits >>> width) != 0) {
            throw problems.fail(problems.at(literal), "hex literal " + literal.getText() + " has more bits than "
                    + t.text());
        }
        if (t.isFloat()) {
            return new FloatAttr(Numbers.floatFromBits(bits, t), t);
        }
        long v = bits;
        if (width < 64 && t.kind() == ScalarType.Kind.SIGNED) {
            v = (bits << (64 - width)) >> (64 - width); // a bit pattern: sign-extend
        }
        return integer(literal, v, t);
    }

    private IntegerAttr integer(Token literal, long v, ScalarType t) {
        if (t == ScalarType.I1) {
            throw problems.fail(problems.at(literal), "integer attribute of type i1; write true or false");
        }
        if (!Numbers.fitsInteger(v, t)) {
            throw problems.fail(problems.at(literal), "integer " + v + " does not fit in " + t.text());
        }
        return new IntegerAttr(v, t);
    }
}
