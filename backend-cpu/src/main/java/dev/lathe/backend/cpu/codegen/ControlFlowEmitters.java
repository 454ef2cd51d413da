package dev.lathe.backend.cpu.codegen;

import static org.bytedeco.llvm.global.LLVM.*;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.loop.LoopOps;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.llvm.LLVM.LLVMBasicBlockRef;
import org.bytedeco.llvm.LLVM.LLVMValueRef;

/** {@code loop.for}, {@code loop.if}, {@code loop.assert}, and {@code loop.parallel} (outlined or sequential). */
final class ControlFlowEmitters {

    private ControlFlowEmitters() {}

    static void register(Emitter e) {
        e.register(LoopOps.FOR, (op, s) -> emitFor(e, op, s));
        e.register(LoopOps.IF, (op, s) -> emitIf(e, op, s));
        e.register(LoopOps.ASSERT, (op, s) -> emitAssert(e, op, s));
        ParallelOutliner outliner = new ParallelOutliner(e);
        e.register(LoopOps.PARALLEL, (op, s) -> {
            if (s.mayOutlineParallel) {
                outliner.outline(op, s);
            } else {
                emitSequentialParallel(e, op, s);
            }
        });
    }

    private static Block body(Operation op, int region) {
        Region r = op.region(region);
        if (r.blocks().size() != 1) {
            throw new CodegenException(op, "region #" + region + " must hold exactly one block, found " + r.blocks().size());
        }
        return r.entryBlock();
    }

    private static void emitFor(Emitter e, Operation op, FunctionScope s) {
        Block block = body(op, 0);
        List<LLVMValueRef> inits = new ArrayList<>();
        for (int i = 3; i < op.numOperands(); i++) {
            inits.add(s.get(op, i));
        }
        List<LLVMValueRef> results = Loops.emit(e.ir, s, "for", s.get(op, 0), s.get(op, 1), s.get(op, 2), inits,
                (iv, carried) -> {
                    s.put(block.argument(0), iv);
                    for (int i = 0; i < carried.size(); i++) {
                        s.put(block.argument(i + 1), carried.get(i));
                    }
                    return e.emitBlock(block, s);
                });
        for (int i = 0; i < results.size(); i++) {
            s.put(op.result(i), results.get(i));
        }
    }

    /** A {@code loop.parallel} nested in another one: a plain loop. */
    static void emitSequentialParallel(Emitter e, Operation op, FunctionScope s) {
        Block block = body(op, 0);
        Loops.emit(e.ir, s, "parallel", s.get(op, 0), s.get(op, 1), s.get(op, 2), List.of(), (iv, carried) -> {
            s.put(block.argument(0), iv);
            e.emitBlock(block, s);
            return List.of();
        });
    }

    private static void emitIf(Emitter e, Operation op, FunctionScope s) {
        Ir ir = e.ir;
        LLVMBasicBlockRef thenBlock = ir.appendBlock(s.function, "if.then");
        LLVMBasicBlockRef elseBlock = ir.appendBlock(s.function, "if.else");
        LLVMBasicBlockRef merge = ir.appendBlock(s.function, "if.end");
        LLVMBuildCondBr(ir.builder, s.get(op, 0), thenBlock, elseBlock);

        ir.positionAtEnd(thenBlock);
        List<LLVMValueRef> thenValues = e.emitBlock(body(op, 0), s);
        LLVMBasicBlockRef thenEnd = ir.currentBlock();
        LLVMBuildBr(ir.builder, merge);

        ir.positionAtEnd(elseBlock);
        List<LLVMValueRef> elseValues = op.region(1).isEmpty() ? List.of() : e.emitBlock(body(op, 1), s);
        LLVMBasicBlockRef elseEnd = ir.currentBlock();
        LLVMBuildBr(ir.builder, merge);

        ir.positionAtEnd(merge);
        if (thenValues.size() != op.numResults() || elseValues.size() != op.numResults()) {
            throw new CodegenException(op, "both regions must yield " + op.numResults() + " values");
        }
        for (int i = 0; i < op.numResults(); i++) {
            LLVMValueRef phi = LLVMBuildPhi(ir.builder, ir.types.of(op.result(i).type()), "");
            ir.addIncoming(phi, thenValues.get(i), thenEnd);
            ir.addIncoming(phi, elseValues.get(i), elseEnd);
            s.put(op.result(i), phi);
        }
    }

    /** On a false condition: {@code cmpxchg(&rt->error, 0, index)}, so the first failure wins; then go on. */
    private static void emitAssert(Emitter e, Operation op, FunctionScope s) {
        Ir ir = e.ir;
        if (!(op.attr("message") instanceof StringAttr message)) {
            throw new CodegenException(op, "needs a 'message' string attribute");
        }
        int index = e.messageIndex(message.value());
        LLVMBasicBlockRef fail = ir.appendBlock(s.function, "assert.fail");
        LLVMBasicBlockRef cont = ir.appendBlock(s.function, "assert.ok");
        LLVMValueRef expected = ir.intrinsic("expect", s.get(op, 0), LLVMConstInt(ir.types.i1, 1, 0));
        LLVMBuildCondBr(ir.builder, expected, cont, fail);
        ir.positionAtEnd(fail);
        LLVMValueRef errorField = LLVMBuildStructGEP2(ir.builder, RuntimeAbi.rtType(ir), s.rt, RuntimeAbi.RT_ERROR, "");
        LLVMBuildAtomicCmpXchg(ir.builder, errorField, ir.i32(0), ir.i32(index),
                LLVMAtomicOrderingSequentiallyConsistent, LLVMAtomicOrderingSequentiallyConsistent, 0);
        LLVMBuildBr(ir.builder, cont);
        ir.positionAtEnd(cont);
    }
}
