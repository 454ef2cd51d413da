package dev.lathe.backend.cpu;

import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.BlockArgument;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.IfOp;
import dev.lathe.ir.dialect.nn.LoopOp;
import dev.lathe.ir.dialect.nn.OptionalHasElementOp;
import dev.lathe.ir.dialect.nn.SequenceAtOp;
import dev.lathe.ir.dialect.nn.SequenceEraseOp;
import dev.lathe.ir.dialect.nn.SequenceInsertOp;
import dev.lathe.ir.dialect.nn.SequenceLengthOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.passes.lower.OpLowering;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fixes a graph to one call's inputs (docs/backend-cpu.md#shapes): every input gets the given
 * shape, and every input that some op needs as a compile-time constant (a Reshape target,
 * reduction axes, ...) or that decides the structure of the computation (an {@code nn.if}
 * condition, an {@code nn.loop}'s trip count and condition, a sequence position), directly or
 * through other ops, is replaced by its value. The compiled
 * code then holds only for inputs of those shapes and, for the frozen inputs, those values.
 */
final class Specializer {

    private Specializer() {}

    /**
     * Specializes {@code fn} in place: input {@code i} gets {@code types.get(i)} (null keeps the
     * declared type) and, where it feeds a compile-time operand, the value {@code values.get(i)}.
     * Returns the frozen inputs by index; throws naming the inputs that need a value and lack one.
     */
    static Map<Integer, DenseElementsAttr> specialize(Module module, Operation fn, List<TensorType> types,
            List<DenseElementsAttr> values, Lowerings lowerings) {
        Block body = FuncOps.body(fn);
        List<Type> argTypes = new ArrayList<>();
        for (int i = 0; i < body.numArguments(); i++) {
            BlockArgument arg = body.argument(i);
            if (i < types.size() && types.get(i) != null) {
                arg.setType(types.get(i));
            }
            argTypes.add(arg.type());
        }
        FuncOps.setType(fn, FunctionType.of(argTypes, FuncOps.type(fn).results()));
        // Shape arithmetic (Shape, Gather of a shape, Concat, ...) folds once input shapes are
        // fixed; only what still feeds a constant operand after that needs an input's value.
        new PassManager(PassPipeline.parse("simplify-shapes")).verifyEach(true).disableCrashReproducer().run(module);
        Map<Integer, DenseElementsAttr> frozen = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (int i : inputsFeedingConstantOperands(body, lowerings)) {
            DenseElementsAttr v = i < values.size() ? values.get(i) : null;
            if (v == null) {
                String hint = body.argument(i).nameHint();
                missing.add(hint != null ? hint : "#" + i);
                continue;
            }
            freeze(body, body.argument(i), v);
            frozen.put(i, v);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("inputs " + missing + " decide shapes or branches, so the compiled code"
                    + " depends on their values: give them (the JIT takes them from the first call)");
        }
        return frozen;
    }

    /** Types and values from one call's inputs. */
    static Map<Integer, DenseElementsAttr> specialize(Module module, Operation fn, List<DenseElementsAttr> inputs,
            Lowerings lowerings) {
        return specialize(module, fn, inputs.stream().map(DenseElementsAttr::type).toList(), inputs, lowerings);
    }

    /** Graph inputs from which a value flows into a constant operand of some op. */
    static Set<Integer> inputsFeedingConstantOperands(Block body, Lowerings lowerings) {
        Set<Integer> found = new HashSet<>();
        Set<Value> visited = new HashSet<>();
        // ops nested in loop and branch bodies too: unrolling and inlining bring them to the top
        body.walk(op -> {
            for (int i : structuralOperands(op)) {
                collectInputs(op.operand(i), body, found, visited);
            }
            OpLowering lowering = lowerings.lookup(op.name()).orElse(null);
            if (lowering == null) {
                return;
            }
            for (int i : lowering.constantOperands(op)) {
                if (i < op.numOperands()) {
                    collectInputs(op.operand(i), body, found, visited);
                }
            }
        });
        return found;
    }

    /**
     * Operands that decide the structure of the computation rather than data: an {@code nn.if}
     * condition (a constant one inlines the branch), an {@code nn.loop}'s trip count and condition
     * (constant ones unroll it), and sequence positions (constant ones resolve the element).
     */
    private static List<Integer> structuralOperands(Operation op) {
        return switch (op.name()) {
            case IfOp.NAME -> List.of(0);
            case LoopOp.NAME -> List.of(0, 1);
            case SequenceAtOp.NAME -> List.of(1);
            case SequenceInsertOp.NAME -> op.numOperands() == 3 ? List.of(2) : List.of();
            case SequenceEraseOp.NAME -> op.numOperands() == 2 ? List.of(1) : List.of();
            default -> List.of();
        };
    }

    private static void collectInputs(Value v, Block body, Set<Integer> found, Set<Value> visited) {
        if (!visited.add(v)) {
            return;
        }
        if (v instanceof OpResult r && (r.owner().isA(SequenceLengthOp.NAME) || r.owner().isA(OptionalHasElementOp.NAME))) {
            return; // known from the specialized structure alone, whatever the elements hold
        }
        if (v instanceof BlockArgument a && a.parentBlock() == body) {
            found.add(body.arguments().indexOf(a));
        } else if (v instanceof OpResult r && !NnConstants.isConstant(r.owner()) && !readsOnlyTypes(r.owner())) {
            for (Value operand : r.owner().operands()) {
                collectInputs(operand, body, found, visited);
            }
        }
    }

    /** Ops whose result depends on their operands' types alone (static after specialization). */
    private static boolean readsOnlyTypes(Operation op) {
        return op.isA("nn.shape") || op.isA("nn.size");
    }

    private static void freeze(Block body, BlockArgument arg, DenseElementsAttr value) {
        Operation constant = NnConstants.create(value, arg.parentBlock().parentOp().location());
        if (body.isEmpty()) {
            body.append(constant);
        } else {
            body.insertBefore(body.first(), constant);
        }
        arg.replaceAllUsesWith(constant.result());
    }


}
