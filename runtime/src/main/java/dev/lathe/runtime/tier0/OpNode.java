package dev.lathe.runtime.tier0;

import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.Node;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.interp.InterpreterException;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code nn} op of a graph: reads its operands from frame slots, runs the op's reference
 * semantics and writes its results to frame slots, then clears the slots whose last use it was
 * (so no intermediate tensor outlives its last use, as in the reference interpreter).
 */
abstract class OpNode extends Node {

    final Operation op;
    @CompilationFinal(dimensions = 1) final int[] resultSlots;
    @CompilationFinal(dimensions = 1) final int[] freeAfter;

    OpNode(Operation op, int[] resultSlots, int[] freeAfter) {
        this.op = op;
        this.resultSlots = resultSlots;
        this.freeAfter = freeAfter;
    }

    abstract void execute(VirtualFrame frame);

    @ExplodeLoop
    final void free(VirtualFrame frame) {
        for (int slot : freeAfter) {
            frame.setObject(slot, null);
        }
    }

    /** {@code nn.constant}: its value, decoded once when the graph is planned (weights are not decoded per call). */
    static final class Constant extends OpNode {
        private final DenseElementsAttr value;

        Constant(Operation op, DenseElementsAttr value, int resultSlot, int[] freeAfter) {
            super(op, new int[] {resultSlot}, freeAfter);
            this.value = value;
        }

        @Override
        void execute(VirtualFrame frame) {
            frame.setObject(resultSlots[0], value);
            free(frame);
        }
    }

    /** Every other op: {@code OpDefinition.evaluate}, the interpreter's kernel for it. */
    static final class Evaluate extends OpNode {
        private final OpDefinition definition;
        @CompilationFinal(dimensions = 1) private final int[] operandSlots;

        Evaluate(Operation op, OpDefinition definition, int[] operandSlots, int[] resultSlots, int[] freeAfter) {
            super(op, resultSlots, freeAfter);
            this.definition = definition;
            this.operandSlots = operandSlots;
        }

        @Override
        @ExplodeLoop
        void execute(VirtualFrame frame) {
            DenseElementsAttr[] operands = new DenseElementsAttr[operandSlots.length];
            for (int i = 0; i < operandSlots.length; i++) {
                operands[i] = (DenseElementsAttr) frame.getObject(operandSlots[i]);
            }
            DenseElementsAttr[] results = evaluate(operands);
            for (int i = 0; i < resultSlots.length; i++) {
                frame.setObject(resultSlots[i], results[i]);
            }
            free(frame);
        }

        /** The kernels are plain Java over tensors: never partially evaluated. */
        @TruffleBoundary
        private DenseElementsAttr[] evaluate(DenseElementsAttr[] operands) {
            List<DenseElementsAttr> results;
            try {
                results = definition.evaluate(op, Arrays.asList(operands));
            } catch (InterpreterException e) {
                throw e;
            } catch (RuntimeException e) {
                String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
                throw new InterpreterException(op.location(), "'" + op.name() + "': " + message, e);
            }
            if (results == null || results.size() != resultSlots.length) {
                throw new InterpreterException(op.location(), "'" + op.name() + "': reference semantics returned "
                        + (results == null ? "null" : results.size() + " values") + " for " + resultSlots.length
                        + " results");
            }
            return results.toArray(DenseElementsAttr[]::new);
        }
    }
}
