package dev.lathe.frontend.onnx;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;

/**
 * Creates ops for the node being converted: appended at the end of the current block, located
 * at the node ({@code Location.name(node)}), with result types from the op definition's
 * {@code inferResultTypes}, so converters never compute shapes by hand. When inference rejects
 * the operands, the error names the node and says why.
 */
public final class OnnxBuilder {

    private final ConversionContext ctx;

    OnnxBuilder(ConversionContext ctx) {
        this.ctx = ctx;
    }

    /** A single-result op on {@code operands} without attributes. */
    public Value create(String opName, Value... operands) {
        return create(opName, List.of(operands), Map.of());
    }

    /** A single-result op. */
    public Value create(String opName, List<? extends Value> operands, Map<String, Attribute> attributes) {
        Operation op = createOp(opName, operands, attributes);
        if (op.numResults() != 1) {
            throw new IllegalStateException("'" + opName + "' has " + op.numResults() + " results; use createOp");
        }
        return op.result();
    }

    /** An op with inferred result types, any number of results. */
    public Operation createOp(String opName, List<? extends Value> operands, Map<String, Attribute> attributes) {
        return createOp(opName, operands, attributes, inferResultTypes(opName, operands, attributes));
    }

    /** An op with the given result types, for ops whose definition does not infer them. */
    public Operation createOp(String opName, List<? extends Value> operands, Map<String, Attribute> attributes,
            List<? extends Type> resultTypes) {
        Operation op = Operation.create(opName, operands, resultTypes, attributes, ctx.node().location());
        ctx.currentBlock().append(op);
        return op;
    }

    /** The result types the definition of {@code opName} infers, or an error at the node. */
    public List<Type> inferResultTypes(String opName, List<? extends Value> operands, Map<String, Attribute> attributes) {
        OpDefinition def = DialectRegistry.global().lookup(opName).orElseThrow(() ->
                new IllegalStateException("op '" + opName + "' is not registered; pass its result types"));
        List<Type> operandTypes = operands.stream().map(Value::type).toList();
        List<Type> types;
        try {
            types = def.inferResultTypes(operandTypes, attributes);
        } catch (InvalidOpException e) {
            throw ctx.node().error(e.getMessage() + " (as '" + opName + "' on " + typeList(operandTypes) + ")");
        }
        if (types == null) {
            throw new IllegalStateException("'" + opName + "' does not infer its result types; pass them");
        }
        return types;
    }

    /** The block ops are appended to. */
    public Block block() {
        return ctx.currentBlock();
    }

    private static String typeList(List<Type> types) {
        return "(" + String.join(", ", types.stream().map(Type::text).toList()) + ")";
    }
}
