package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;

/** Builds {@code nn.constant} ops and reads their values, resolving {@code dense_resource} weights. */
public final class NnConstants {

    private NnConstants() {}

    /** A detached {@code nn.constant} whose result type is the value's type. */
    public static Operation create(Attribute value, Location location) {
        return Operation.create(ConstantOp.NAME, List.of(), List.of(typeOf(value)), Map.of("value", value), location);
    }

    /** Whether {@code op} is an {@code nn.constant}. */
    public static boolean isConstant(Operation op) {
        return op.isA(ConstantOp.NAME);
    }

    /**
     * The elements of an {@code nn.constant}: its inline {@code dense<...>}, or the bytes of its
     * {@code dense_resource<name>} from {@code module}'s resource table. Throws
     * {@link InvalidOpException} when the resource is missing or its size does not fit the type.
     */
    public static DenseElementsAttr valueOf(Operation constant, Module module) {
        if (!isConstant(constant)) {
            throw new IllegalArgumentException("expected '" + ConstantOp.NAME + "', found '" + constant.name() + "'");
        }
        Attribute value = constant.attr("value");
        if (value instanceof DenseElementsAttr dense) {
            return dense;
        }
        if (!(value instanceof DenseResourceAttr resource)) {
            throw new InvalidOpException(valueKindError(value));
        }
        ResourceBlob blob = module.resource(resource.name());
        if (blob == null) {
            throw new InvalidOpException(resource.text() + " at " + constant.location()
                    + " names no blob of the module's resource table");
        }
        TensorType type = typeOf(resource);
        long expected = type.numElements() * type.elementType().byteSize();
        if (blob.size() != expected) {
            throw new InvalidOpException("resource '" + resource.name() + "' at " + constant.location() + " holds "
                    + blob.size() + " bytes but " + type.text() + " needs " + expected);
        }
        return DenseElementsAttr.fromBuffer(type, blob.asReadOnlyBuffer()); // one copy, not two
    }

    /** The tensor type of a constant's value, or an error when it is not a tensor value. */
    static TensorType typeOf(Attribute value) {
        if (value instanceof DenseElementsAttr dense) {
            return dense.type();
        }
        if (value instanceof DenseResourceAttr resource) {
            if (!resource.type().hasStaticShape()) {
                throw new InvalidOpException("value " + resource.text() + " must have a static shape");
            }
            return resource.type();
        }
        throw new InvalidOpException(valueKindError(value));
    }

    private static String valueKindError(Attribute value) {
        return "attribute 'value' must be dense<...> or dense_resource<...>, found "
                + (value == null ? "none" : value.text());
    }
}
