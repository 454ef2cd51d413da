package dev.lathe.backend.cpu;

import dev.lathe.ir.Block;
import dev.lathe.ir.BlockArgument;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.IfOp;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.Type;
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
 * reduction axes, ...) or that decides an {@code nn.if}, directly or through other ops, is
 * replaced by its value. The compiled
 * code then holds only for inputs of those shapes and, for the frozen inputs, those values.
 */
final class Specializer {

    private Specializer() {}

    /** Specializes {@code fn} in place; returns the frozen inputs by index. */
    static Map<Integer, DenseElementsAttr> specialize(Operation fn, List<DenseElementsAttr> inputs, Lowerings lowerings) {
        Block body = FuncOps.body(fn);
        List<Type> argTypes = new ArrayList<>();
        for (int i = 0; i < body.numArguments(); i++) {
            BlockArgument arg = body.argument(i);
            if (i < inputs.size() && inputs.get(i) != null) {
                arg.setType(inputs.get(i).type());
            }
            argTypes.add(arg.type());
        }
        FuncOps.setType(fn, FunctionType.of(argTypes, FuncOps.type(fn).results()));
        Map<Integer, DenseElementsAttr> frozen = new LinkedHashMap<>();
        for (int i : inputsFeedingConstantOperands(body, lowerings)) {
            if (i < inputs.size() && inputs.get(i) != null) {
                freeze(body, body.argument(i), inputs.get(i));
                frozen.put(i, inputs.get(i));
            }
        }
        return frozen;
    }

    /** Graph inputs from which a value flows into a constant operand of some op. */
    static Set<Integer> inputsFeedingConstantOperands(Block body, Lowerings lowerings) {
        Set<Integer> found = new HashSet<>();
        Set<Value> visited = new HashSet<>();
        for (Operation op : body.operations()) {
            if (op.isA(IfOp.NAME)) {
                collectInputs(op.operand(0), body, found, visited); // a constant condition inlines the branch
            }
            OpLowering lowering = lowerings.lookup(op.name()).orElse(null);
            if (lowering == null) {
                continue;
            }
            for (int i : lowering.constantOperands(op)) {
                if (i < op.numOperands()) {
                    collectInputs(op.operand(i), body, found, visited);
                }
            }
        }
        return found;
    }

    private static void collectInputs(Value v, Block body, Set<Integer> found, Set<Value> visited) {
        if (!visited.add(v)) {
            return;
        }
        if (v instanceof BlockArgument a && a.parentBlock() == body) {
            found.add(body.arguments().indexOf(a));
        } else if (v instanceof OpResult r && !NnConstants.isConstant(r.owner())) {
            for (Value operand : r.owner().operands()) {
                collectInputs(operand, body, found, visited);
            }
        }
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
