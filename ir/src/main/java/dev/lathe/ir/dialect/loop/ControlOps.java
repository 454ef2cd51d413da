package dev.lathe.ir.dialect.loop;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.AbstractOpDefinition;
import dev.lathe.ir.dialect.AttrSpec;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.OpSchema;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code loop.for}, {@code loop.parallel}, {@code loop.if}, {@code loop.yield} and {@code loop.assert}. */
final class ControlOps {

    private ControlOps() {}

    static List<OpDefinition> all() {
        return List.of(new For(), new Parallel(), new If(), new Yield(), new Assert());
    }

    private static void checkBounds(Operation op) {
        List<Type> t = op.operandTypes();
        LoopTypes.index(t, 0, "lower bound");
        LoopTypes.index(t, 1, "upper bound");
        LoopTypes.index(t, 2, "step");
    }

    /** The region's single block: its argument types and the types its {@code loop.yield} gives. */
    private static Block singleBlock(Region r, String what) {
        if (r.blocks().size() != 1) {
            throw new InvalidOpException(what + " must have exactly one block, found " + r.blocks().size());
        }
        return r.entryBlock();
    }

    private static void checkBlockArgs(Block b, List<Type> expected, String what) {
        List<Type> args = b.arguments().stream().map(a -> a.type()).toList();
        if (!args.equals(expected)) {
            throw new InvalidOpException(what + " block arguments must be " + texts(expected) + ", found " + texts(args));
        }
    }

    private static void checkYield(Block b, List<Type> expected, String what) {
        Operation last = b.last();
        if (last == null || !last.isA(LoopOps.YIELD)) {
            throw new InvalidOpException(what + " must end with 'loop.yield'");
        }
        if (!last.operandTypes().equals(expected)) {
            throw new InvalidOpException(what + " yields " + texts(last.operandTypes()) + " but " + texts(expected)
                    + " are expected");
        }
    }

    static String texts(List<Type> types) {
        return "(" + String.join(", ", types.stream().map(Type::text).toList()) + ")";
    }

    static final class For extends AbstractOpDefinition {
        For() {
            super(LoopOps.FOR, "a sequential counted loop with carried values",
                    OpSchema.of(3).withOperands(3, OpSchema.VARIADIC).withResults(OpSchema.VARIADIC).withRegions(1),
                    Set.of());
        }

        @Override
        public void verify(Operation op) {
            checkBounds(op);
            List<Type> carried = op.operandTypes().subList(3, op.numOperands());
            if (!op.resultTypes().equals(carried)) {
                throw new InvalidOpException("results " + texts(op.resultTypes()) + " must match the initial values "
                        + texts(carried));
            }
            Block body = singleBlock(op.region(0), "body");
            List<Type> args = new ArrayList<>();
            args.add(ScalarType.INDEX);
            args.addAll(carried);
            checkBlockArgs(body, args, "body");
            checkYield(body, carried, "body");
        }
    }

    static final class Parallel extends AbstractOpDefinition {
        Parallel() {
            super(LoopOps.PARALLEL, "a loop whose iterations are independent",
                    OpSchema.of(3, AttrSpec.optional("grain", IntegerAttr.class)).withResults(0).withRegions(1),
                    Set.of());
        }

        @Override
        public void verify(Operation op) {
            checkBounds(op);
            if (op.attr("grain") instanceof IntegerAttr g && g.value() < 1) {
                throw new InvalidOpException("'grain' must be >= 1, found " + g.value());
            }
            Block body = singleBlock(op.region(0), "body");
            checkBlockArgs(body, List.of(ScalarType.INDEX), "body");
            checkYield(body, List.of(), "body");
        }
    }

    static final class If extends AbstractOpDefinition {
        If() {
            super(LoopOps.IF, "runs one of two regions",
                    OpSchema.of(1).withResults(OpSchema.VARIADIC).withRegions(2), Set.of());
        }

        @Override
        public void verify(Operation op) {
            if (op.operand(0).type() != ScalarType.I1) {
                throw new InvalidOpException("condition must be i1, found " + op.operand(0).type().text());
            }
            Block then = singleBlock(op.region(0), "then region");
            checkBlockArgs(then, List.of(), "then region");
            checkYield(then, op.resultTypes(), "then region");
            if (op.region(1).isEmpty()) {
                if (op.numResults() > 0) {
                    throw new InvalidOpException("an 'loop.if' with results needs an else region");
                }
                return;
            }
            Block otherwise = singleBlock(op.region(1), "else region");
            checkBlockArgs(otherwise, List.of(), "else region");
            checkYield(otherwise, op.resultTypes(), "else region");
        }
    }

    static final class Yield extends AbstractOpDefinition {
        Yield() {
            super(LoopOps.YIELD, "ends a loop or if body",
                    OpSchema.of(0).withOperands(0, OpSchema.VARIADIC).withResults(0), Set.of(Trait.TERMINATOR));
        }

        @Override
        public void verify(Operation op) {
            Operation parent = op.parentOp();
            if (parent == null || !(parent.isA(LoopOps.FOR) || parent.isA(LoopOps.PARALLEL) || parent.isA(LoopOps.IF))) {
                throw new InvalidOpException("must be inside 'loop.for', 'loop.parallel' or 'loop.if'");
            }
        }
    }

    static final class Assert extends AbstractOpDefinition {
        Assert() {
            super(LoopOps.ASSERT, "fails the call with a message when the condition is false",
                    OpSchema.of(1, AttrSpec.required("message", StringAttr.class)).withResults(0), Set.of());
        }

        @Override
        public void verify(Operation op) {
            if (op.operand(0).type() != ScalarType.I1) {
                throw new InvalidOpException("condition must be i1, found " + op.operand(0).type().text());
            }
        }
    }
}
