package dev.lathe.passes.rewrite;

import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.Type;

/**
 * Builds the detached op that holds a folded constant (MLIR's {@code materializeConstant}).
 * The default builds {@code nn.constant}; tests of other dialects plug in their own.
 */
@FunctionalInterface
public interface ConstantMaterializer {

    /** A detached constant op for {@code value}, or null when it cannot hold one. */
    Operation materialize(Attribute value, Location location);

    /** {@code nn.constant {value = ...}} whose result type is the attribute's type. */
    ConstantMaterializer NN = (value, location) -> typeOf(value) == null ? null : NnConstants.create(value, location);

    /** The tensor type of an elements attribute, or null for other attributes. */
    static Type typeOf(Attribute value) {
        return switch (value) {
            case DenseElementsAttr d -> d.type();
            case DenseResourceAttr r -> r.type();
            default -> null;
        };
    }
}
