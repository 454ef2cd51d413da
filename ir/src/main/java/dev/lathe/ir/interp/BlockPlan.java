package dev.lathe.ir.interp;

import dev.lathe.ir.Block;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.Trait;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.ConstantOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to run one block, computed once per block and shared by every run: each op's kind, where
 * its operands are and where its results go (numbered slots of a frame), and which slots die
 * after it (last-use analysis), so no value outlives its last use.
 *
 * <p>Slots are the block's arguments, then the results of its ops in order. An operand defined
 * outside the block (in a region that sees enclosing values) has slot {@link #OUTER} and is
 * looked up in the enclosing frames. A value used inside a nested region counts as used by the
 * op that owns the region, so it lives until that op is done.
 */
final class BlockPlan {

    /** Slot of an operand defined in an enclosing block. */
    static final int OUTER = -1;

    enum Kind {
        /** {@code nn.constant}: its decoded value, cached per op. */
        CONSTANT,
        /** {@code func.call}: runs the callee's body. */
        CALL,
        /** An op whose definition implements {@link EvaluatesValues} (checked first). */
        VALUES,
        /** An op whose definition implements {@link EvaluatesRegions}. */
        REGIONS,
        /** Every other op: {@code OpDefinition.evaluate}. */
        EVALUATE
    }

    /** One op to run. {@code callee} is set for calls, {@code definition} for the other kinds. */
    record Step(Operation op, Kind kind, OpDefinition definition, Operation callee, Value[] operands,
            int[] operandSlots, int[] resultSlots, int[] freeAfter) {}

    final Block block;
    final int numSlots;
    final Map<Value, Integer> slotOf;
    /** Slots of arguments that no op uses, released as soon as the block is entered. */
    final int[] freeAtEntry;
    final Step[] steps;
    final Operation terminator;
    final Value[] terminatorOperands;
    final int[] terminatorSlots;
    final int[] freeAfterTerminator;

    private BlockPlan(Block block, Map<Value, Integer> slotOf, int[] freeAtEntry, Step[] steps, Operation terminator,
            Value[] terminatorOperands, int[] terminatorSlots, int[] freeAfterTerminator) {
        this.block = block;
        this.numSlots = slotOf.size();
        this.slotOf = slotOf;
        this.freeAtEntry = freeAtEntry;
        this.steps = steps;
        this.terminator = terminator;
        this.terminatorOperands = terminatorOperands;
        this.terminatorSlots = terminatorSlots;
        this.freeAfterTerminator = freeAfterTerminator;
    }

    /**
     * Plans {@code block} (owned by {@code owner}); throws {@link InterpreterException} at the
     * first op the interpreter cannot run, before anything runs.
     */
    static BlockPlan build(Block block, Operation owner, Module module) {
        List<Operation> ops = block.operations();
        if (ops.isEmpty() || !ops.getLast().hasTrait(Trait.TERMINATOR)) {
            throw InterpreterException.at(owner, "a block of its region does not end with a terminator, so it"
                    + " yields nothing to run");
        }
        Map<Value, Integer> slotOf = new IdentityHashMap<>();
        for (Value arg : block.arguments()) {
            slotOf.put(arg, slotOf.size());
        }
        for (Operation op : ops) {
            for (Value r : op.results()) {
                slotOf.put(r, slotOf.size());
            }
        }
        int[] lastUse = lastUses(ops, slotOf);
        List<List<Integer>> dying = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            dying.add(new ArrayList<>());
        }
        List<Integer> atEntry = new ArrayList<>();
        int numArgs = block.numArguments();
        for (int slot = 0; slot < lastUse.length; slot++) {
            if (lastUse[slot] >= 0) {
                dying.get(lastUse[slot]).add(slot);
            } else if (slot < numArgs) {
                atEntry.add(slot);
            }
        }
        int n = ops.size() - 1;
        Step[] steps = new Step[n];
        for (int i = 0; i < n; i++) {
            Operation op = ops.get(i);
            int[] resultSlots = new int[op.numResults()];
            for (int r = 0; r < resultSlots.length; r++) {
                resultSlots[r] = slotOf.get(op.result(r));
                if (lastUse[resultSlots[r]] < 0) {
                    dying.get(i).add(resultSlots[r]); // never used: released right away
                }
            }
            Value[] operands = op.operands().toArray(Value[]::new);
            steps[i] = step(op, module, operands, slots(operands, slotOf), resultSlots, toArray(dying.get(i)));
        }
        Operation terminator = ops.getLast();
        Value[] yielded = terminator.operands().toArray(Value[]::new);
        return new BlockPlan(block, slotOf, toArray(atEntry), steps, terminator, yielded, slots(yielded, slotOf),
                toArray(dying.get(n)));
    }

    /** For each slot, the index of the last op of the block that uses it (itself or nested inside), or -1. */
    private static int[] lastUses(List<Operation> ops, Map<Value, Integer> slotOf) {
        int[] lastUse = new int[slotOf.size()];
        Arrays.fill(lastUse, -1);
        for (int i = 0; i < ops.size(); i++) {
            int index = i;
            ops.get(i).walk(nested -> {
                for (Value v : nested.operands()) {
                    Integer slot = slotOf.get(v);
                    if (slot != null) {
                        lastUse[slot] = index;
                    }
                }
            });
        }
        return lastUse;
    }

    private static Step step(Operation op, Module module, Value[] operands, int[] operandSlots, int[] resultSlots,
            int[] freeAfter) {
        if (op.isA(ConstantOp.NAME)) {
            return new Step(op, Kind.CONSTANT, op.definition(), null, operands, operandSlots, resultSlots, freeAfter);
        }
        if (op.isA(FuncOps.CALL)) {
            Operation callee = callee(op, module);
            return new Step(op, Kind.CALL, op.definition(), callee, operands, operandSlots, resultSlots, freeAfter);
        }
        OpDefinition def = op.definition();
        if (def == null) {
            throw InterpreterException.at(op, "op is not registered, so it has no reference semantics");
        }
        if (def instanceof EvaluatesValues) {
            return new Step(op, Kind.VALUES, def, null, operands, operandSlots, resultSlots, freeAfter);
        }
        if (def instanceof EvaluatesRegions) {
            return new Step(op, Kind.REGIONS, def, null, operands, operandSlots, resultSlots, freeAfter);
        }
        if (!def.hasReferenceSemantics()) {
            throw InterpreterException.at(op, "op has no reference semantics (its definition does not implement"
                    + " evaluate)");
        }
        return new Step(op, Kind.EVALUATE, def, null, operands, operandSlots, resultSlots, freeAfter);
    }

    private static Operation callee(Operation call, Module module) {
        String name = FuncOps.callee(call);
        Operation fn = module.lookupSymbol(name).filter(o -> o.isA(FuncOps.FUNC)).orElse(null);
        if (fn == null) {
            throw InterpreterException.at(call, "calls '@" + name + "', which is not a function of the module");
        }
        if (FuncOps.isDeclaration(fn)) {
            throw InterpreterException.at(call, "calls '@" + name + "', a declaration without a body, which the"
                    + " interpreter cannot run");
        }
        return fn;
    }

    private static int[] slots(Value[] values, Map<Value, Integer> slotOf) {
        int[] slots = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            slots[i] = slotOf.getOrDefault(values[i], OUTER);
        }
        return slots;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
