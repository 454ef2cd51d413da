package dev.lathe.ir.dialect.func;

import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.attr.SymbolRefAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.Dialect;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.ValueTypes;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Set;

/** Functions, returns and calls, printed in MLIR's custom form. */
public final class FuncDialect implements Dialect {

    @Override
    public String namespace() {
        return "func";
    }

    @Override
    public List<OpDefinition> operations() {
        return List.of(new FuncOp(), new ReturnOp(), new CallOp());
    }

    /**
     * Types agree when equal, when both are tensors with compatible shapes, or when a sequence or
     * optional fits the declared one (a sequence input specialized to its elements is a
     * {@code !nn.sequence<tensor<2xf32>>} where {@code !nn.sequence<f32>} is declared).
     */
    static boolean compatible(Type a, Type b) {
        if (a == b) {
            return true;
        }
        if (a instanceof SequenceType || a instanceof OptionalType) {
            return ValueTypes.isCompatible(a, b) || ValueTypes.isCompatible(b, a);
        }
        return a instanceof TensorType ta && b instanceof TensorType tb && ta.isCompatibleWith(tb);
    }

    static void checkTypes(String what, List<Type> found, List<Type> expected) {
        if (found.size() != expected.size()) {
            throw new InvalidOpException("has " + found.size() + " " + what + " but the function type expects "
                    + expected.size());
        }
        for (int i = 0; i < found.size(); i++) {
            if (!compatible(found.get(i), expected.get(i))) {
                throw new InvalidOpException(what + " #" + i + " has type " + found.get(i).text()
                        + " but the function type expects " + expected.get(i).text());
            }
        }
    }

    static final class FuncOp extends AbstractOpDefinition {
        FuncOp() {
            super(FuncOps.FUNC, "a function: a symbol with a signature and a body",
                    OpSchema.of(0, AttrSpec.required("sym_name", StringAttr.class),
                    AttrSpec.required("function_type", TypeAttr.class)).withResults(0).withRegions(1),
                    Set.of(Trait.SYMBOL, Trait.ISOLATED_FROM_ABOVE));
        }

        @Override
        public void verify(Operation op) {
            if (!(((TypeAttr) op.attr("function_type")).type() instanceof FunctionType type)) {
                throw new InvalidOpException("attribute 'function_type' must be a function type");
            }
            if (FuncOps.isDeclaration(op)) {
                return;
            }
            Block entry = op.region(0).entryBlock();
            checkTypes("arguments", entry.arguments().stream().map(a -> a.type()).toList(), type.inputs());
            for (Block b : op.region(0).blocks()) {
                if (b.last() == null || !b.last().hasTrait(Trait.TERMINATOR)) {
                    throw new InvalidOpException("body must end with 'func.return'");
                }
            }
        }
    }

    static final class ReturnOp extends AbstractOpDefinition {
        ReturnOp() {
            super(FuncOps.RETURN, "returns values from a function",
                    OpSchema.of(0).withOperands(0, OpSchema.VARIADIC).withResults(0),
                    Set.of(Trait.TERMINATOR, Trait.PURE));
        }

        @Override
        public void verify(Operation op) {
            Operation parent = op.parentOp();
            if (parent == null || !parent.isA(FuncOps.FUNC)) {
                throw new InvalidOpException("expects parent op 'func.func'");
            }
            checkTypes("operands", op.operandTypes(), FuncOps.type(parent).results());
        }
    }

    static final class CallOp extends AbstractOpDefinition {
        CallOp() {
            super(FuncOps.CALL, "calls a function of the same module",
                    OpSchema.of(0, AttrSpec.required("callee", SymbolRefAttr.class))
                    .withOperands(0, OpSchema.VARIADIC).withResults(OpSchema.VARIADIC),
                    Set.of());
        }

        @Override
        public void verify(Operation op) {
            String callee = FuncOps.callee(op);
            Operation table = op.parentOp();
            while (table != null && !table.isA(Module.OP_NAME)) {
                table = table.parentOp();
            }
            if (table == null) {
                return; // detached: nothing to resolve against yet
            }
            Operation fn = null;
            for (Operation o : table.region(0).entryBlock().operations()) {
                if (o.isA(FuncOps.FUNC) && FuncOps.name(o).equals(callee)) {
                    fn = o;
                }
            }
            if (fn == null) {
                throw new InvalidOpException("calls '@" + callee + "', which is not a function of this module");
            }
            FunctionType type = FuncOps.type(fn);
            checkTypes("operands", op.operandTypes(), type.inputs());
            checkTypes("results", op.resultTypes(), type.results());
        }
    }
}
