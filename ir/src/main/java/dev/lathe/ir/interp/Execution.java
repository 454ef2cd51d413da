package dev.lathe.ir.interp;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.interp.BlockPlan.Step;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one run: the active frames (one per running function body or region), the call
 * depth and the count of live values. Never shared between runs or threads; everything shared
 * (plans, decoded constants) lives in the {@link Interpreter}.
 */
final class Execution {

    /** The values of one running block, by slot; a slot is cleared after its value's last use. */
    private static final class Frame {
        final BlockPlan plan;
        final Frame parent;
        final RuntimeValue[] slots;

        Frame(BlockPlan plan, Frame parent) {
            this.plan = plan;
            this.parent = parent;
            this.slots = new RuntimeValue[plan.numSlots];
        }

        RuntimeValue outer(Value v) {
            for (Frame f = parent; f != null; f = f.parent) {
                Integer slot = f.plan.slotOf.get(v);
                if (slot != null) {
                    return f.slots[slot];
                }
            }
            return null;
        }
    }

    private final Interpreter interpreter;
    private final ExecutionListener listener;
    private final int maxCallDepth;
    private final List<String> callStack = new ArrayList<>();
    private int liveValues;

    Execution(Interpreter interpreter, ExecutionListener listener, int maxCallDepth) {
        this.interpreter = interpreter;
        this.listener = listener;
        this.maxCallDepth = maxCallDepth;
    }

    /** Runs {@code fn}'s body on arguments already checked against its signature. */
    List<RuntimeValue> callFunction(Operation fn, List<RuntimeValue> args) {
        callStack.add(FuncOps.name(fn));
        try {
            List<RuntimeValue> results = runBlock(interpreter.plan(FuncOps.body(fn), fn), args, null);
            checkReturned(fn, results);
            return results;
        } finally {
            callStack.removeLast();
        }
    }

    private List<RuntimeValue> runBlock(BlockPlan plan, List<RuntimeValue> args, Frame parent) {
        Frame frame = new Frame(plan, parent);
        for (int i = 0; i < args.size(); i++) {
            store(frame, i, args.get(i));
        }
        release(frame, plan.freeAtEntry);
        for (Step step : plan.steps) {
            long start = listener == null ? 0 : System.nanoTime();
            List<RuntimeValue> results = execute(step, operands(frame, step.operands(), step.operandSlots(),
                    step.op()), frame);
            checkResults(step.op(), results);
            for (int r = 0; r < results.size(); r++) {
                store(frame, step.resultSlots()[r], results.get(r));
            }
            release(frame, step.freeAfter());
            if (listener != null) {
                listener.afterOpValues(step.op(), results, System.nanoTime() - start, liveValues);
            }
        }
        List<RuntimeValue> yielded = operands(frame, plan.terminatorOperands, plan.terminatorSlots,
                plan.terminator);
        release(frame, plan.freeAfterTerminator);
        return yielded;
    }

    private void store(Frame frame, int slot, RuntimeValue value) {
        frame.slots[slot] = value;
        liveValues++;
    }

    private void release(Frame frame, int[] slots) {
        for (int slot : slots) {
            if (frame.slots[slot] != null) {
                frame.slots[slot] = null;
                liveValues--;
            }
        }
    }

    private static List<RuntimeValue> operands(Frame frame, Value[] values, int[] slots, Operation user) {
        RuntimeValue[] out = new RuntimeValue[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = slots[i] == BlockPlan.OUTER ? frame.outer(values[i]) : frame.slots[slots[i]];
            if (out[i] == null) {
                // Last-use analysis or scoping went wrong: an interpreter bug, not a user error.
                throw InterpreterException.at(user, "operand #" + i + " has no value (released too early or"
                        + " defined out of scope)");
            }
        }
        return List.of(out);
    }

    private List<RuntimeValue> execute(Step step, List<RuntimeValue> operands, Frame frame) {
        Operation op = step.op();
        try {
            return switch (step.kind()) {
                case CONSTANT -> List.of(RuntimeValue.of(interpreter.constant(op)));
                case CALL -> call(step, operands);
                case VALUES, REGIONS -> evaluateWithRegions(step, operands, frame);
                case EVALUATE -> wrapResults(step.definition().evaluate(op, RuntimeValue.tensors(operands, "operand")));
            };
        } catch (InterpreterException e) {
            throw e; // already located at the op that failed
        } catch (RuntimeException e) {
            throw InterpreterException.at(op, describe(op, e), e);
        }
    }

    /** The exception's message without a repeated {@code 'op.name': } prefix; its class when unexpected. */
    private static String describe(Operation op, RuntimeException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String prefix = "'" + op.name() + "': ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        boolean expected = e instanceof ArithmeticException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof UnsupportedOperationException
                || e instanceof InvalidOpException;
        if (expected && !message.isEmpty()) {
            return message;
        }
        return "reference semantics failed with " + e.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    }

    private List<RuntimeValue> call(Step step, List<RuntimeValue> args) {
        Operation call = step.op();
        Operation callee = step.callee();
        String calleeName = FuncOps.name(callee);
        if (callStack.size() >= maxCallDepth) {
            throw InterpreterException.at(call, "call depth exceeds the limit of " + maxCallDepth + " calling '@"
                    + calleeName + "' from '@" + callStack.getLast() + "' (unbounded recursion?)");
        }
        Block body = FuncOps.body(callee);
        for (int i = 0; i < args.size(); i++) {
            String why = TypeCheck.describeMismatch(body.argument(i).type(), args.get(i));
            if (why != null) {
                throw InterpreterException.at(call, "argument #" + i + " of '@" + calleeName + "': " + why);
            }
        }
        String caller = callStack.getLast();
        try {
            return callFunction(callee, args);
        } catch (InterpreterException e) {
            throw e.throughCall(call, calleeName, caller);
        }
    }

    /** Results of plain reference semantics; null stays null for {@link #checkResults} to report. */
    private static List<RuntimeValue> wrapResults(List<DenseElementsAttr> results) {
        return results == null ? null : RuntimeValue.wrap(results);
    }

    /** Runs an {@link EvaluatesValues} or {@link EvaluatesRegions} op with a runner for its regions. */
    private List<RuntimeValue> evaluateWithRegions(Step step, List<RuntimeValue> operands, Frame frame) {
        Operation op = step.op();
        Thread owner = Thread.currentThread();
        boolean[] open = {true};
        RegionRunner runner = new RegionRunner() {
            @Override
            public List<DenseElementsAttr> run(Region region, List<DenseElementsAttr> blockArgs) {
                return RuntimeValue.tensors(runValues(region, RuntimeValue.wrap(blockArgs)), "yielded value");
            }

            @Override
            public List<RuntimeValue> runValues(Region region, List<RuntimeValue> blockArgs) {
                if (!open[0] || Thread.currentThread() != owner) {
                    throw new IllegalStateException("a RegionRunner is valid only during the evaluate call that"
                            + " received it, on that call's thread");
                }
                return runRegion(op, region, blockArgs, frame);
            }
        };
        try {
            if (step.kind() == BlockPlan.Kind.VALUES) {
                return ((EvaluatesValues) step.definition()).evaluateValues(op, operands, runner);
            }
            return wrapResults(((EvaluatesRegions) step.definition()).evaluate(op,
                    RuntimeValue.tensors(operands, "operand"), runner));
        } finally {
            open[0] = false;
        }
    }

    private List<RuntimeValue> runRegion(Operation op, Region region, List<RuntimeValue> args,
            Frame frame) {
        int index = op.regions().indexOf(region);
        if (index < 0) {
            throw InterpreterException.at(op, "asked to run a region that is not one of its own");
        }
        if (region.blocks().size() != 1) {
            throw InterpreterException.at(op, "region #" + index + " has " + region.blocks().size()
                    + " blocks; the interpreter runs regions of exactly one block");
        }
        Block block = region.entryBlock();
        if (args.size() != block.numArguments()) {
            throw InterpreterException.at(op, "region #" + index + " takes " + block.numArguments()
                    + " block arguments, given " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null) {
                throw InterpreterException.at(op, "region #" + index + " block argument #" + i + " is null");
            }
            String why = TypeCheck.describeMismatch(block.argument(i).type(), args.get(i));
            if (why != null) {
                throw InterpreterException.at(op, "region #" + index + " block argument #" + i + ": " + why);
            }
        }
        return runBlock(interpreter.plan(block, op), args, frame);
    }

    /** The op produced one value per result, each fitting its declared type. */
    private static void checkResults(Operation op, List<RuntimeValue> results) {
        if (results == null || results.size() != op.numResults()) {
            throw InterpreterException.at(op, "reference semantics returned " + (results == null ? "null"
                    : results.size() + " values") + " for " + op.numResults() + " results");
        }
        for (int i = 0; i < results.size(); i++) {
            RuntimeValue value = results.get(i);
            if (value == null) {
                throw InterpreterException.at(op, "reference semantics returned null for result #" + i);
            }
            String why = TypeCheck.mismatch(op.result(i).type(), value);
            if (why != null) {
                throw InterpreterException.at(op, "result #" + i + " is " + value.describe()
                        + " but the op declares " + op.result(i).type().text() + " (" + why + ")");
            }
        }
    }

    /** The returned values fit the function's declared result types. */
    private static void checkReturned(Operation fn, List<RuntimeValue> results) {
        List<Type> declared = FuncOps.type(fn).results();
        Operation ret = FuncOps.body(fn).last();
        for (int i = 0; i < results.size() && i < declared.size(); i++) {
            String why = TypeCheck.describeMismatch(declared.get(i), results.get(i));
            if (why != null) {
                throw InterpreterException.at(ret, "result #" + i + " of '@" + FuncOps.name(fn) + "': " + why);
            }
        }
    }
}
