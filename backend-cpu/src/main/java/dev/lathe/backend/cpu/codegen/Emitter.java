package dev.lathe.backend.cpu.codegen;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.loop.LoopOps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.llvm.LLVM.LLVMTypeRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/**
 * Module-wide state of one translation: the builder, the table from op names to emitters (a
 * backend is a renderer: one entry per op), the declared functions and the table of assertion
 * messages that {@code lathe_main}'s error code indexes.
 */
final class Emitter {

    /** A declared LLVM function with its type (calls need both). */
    record Function(LLVMValueRef value, LLVMTypeRef type, int results) {}

    final Ir ir;
    final String targetCpu;
    final String targetFeatures;
    private final Map<String, OpEmitter> table = new HashMap<>();
    private final Map<String, Function> functions = new HashMap<>();
    private final Map<String, Integer> messageIndex = new LinkedHashMap<>();

    Emitter(Ir ir, String targetCpu, String targetFeatures) {
        this.ir = ir;
        this.targetCpu = targetCpu;
        this.targetFeatures = targetFeatures;
        ArithmeticEmitters.register(this);
        FloatFunctions.register(this);
        CastEmitters.register(this);
        MemoryEmitters.register(this);
        ControlFlowEmitters.register(this);
        FunctionEmitters.register(this);
    }

    void register(String opName, OpEmitter emitter) {
        if (table.put(opName, emitter) != null) {
            throw new IllegalStateException("two emitters for " + opName);
        }
    }

    void declareFunction(String symbol, Function fn) {
        functions.put(symbol, fn);
    }

    Function function(Operation user, String symbol) {
        Function f = functions.get(symbol);
        if (f == null) {
            throw new CodegenException(user, "calls @" + symbol + ", which is not a function defined in this module");
        }
        return f;
    }

    /** The 1-based index of an assertion message (equal messages share one). */
    int messageIndex(String message) {
        return messageIndex.computeIfAbsent(message, m -> messageIndex.size() + 1);
    }

    List<String> messages() {
        return new ArrayList<>(messageIndex.keySet());
    }

    /**
     * Emits the ops of a block in order; returns the LLVM values of its {@code loop.yield}
     * (empty when the block ends otherwise). Block arguments must already be in the scope.
     */
    List<LLVMValueRef> emitBlock(Block block, FunctionScope scope) {
        for (Operation op : block.operations()) {
            if (op.isA(LoopOps.YIELD)) {
                List<LLVMValueRef> yielded = new ArrayList<>();
                for (Value v : op.operands()) {
                    yielded.add(scope.get(v));
                }
                return yielded;
            }
            emitOp(op, scope);
        }
        return List.of();
    }

    void emitOp(Operation op, FunctionScope scope) {
        OpEmitter e = table.get(op.name());
        if (e == null) {
            String hint = op.dialect().equals("loop") || op.dialect().equals("func") ? ""
                    : " (only loop and func ops reach the CPU backend: run lower-to-loops first)";
            throw new CodegenException(op, "the CPU backend cannot compile this op" + hint);
        }
        e.emit(op, scope);
    }
}
