package dev.lathe.backend.cpu;

import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.ir.Module;
import dev.lathe.ir.type.ScalarType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Models of one elementwise op over {@code n} elements, and a runner for them. */
public final class Kernels {

    private Kernels() {}

    /** {@code out[i] = OP(a[i], b[i]...)}: one loop.for, scalar loads and stores. */
    public static Module elementwise(String op, String attrs, ScalarType in, ScalarType out, int arity, int n) {
        StringBuilder inputs = new StringBuilder();
        StringBuilder loads = new StringBuilder();
        StringBuilder operands = new StringBuilder();
        StringBuilder types = new StringBuilder();
        for (int k = 0; k < arity; k++) {
            String sep = k == 0 ? "" : ", ";
            inputs.append(sep).append("%a").append(k).append(": memref<").append(n).append('x').append(in.text()).append('>');
            loads.append("    %v").append(k).append(" = \"loop.load\"(%a").append(k).append(", %i) : (memref<").append(n)
                    .append('x').append(in.text()).append(">, index) -> ").append(in.text()).append('\n');
            operands.append(sep).append("%v").append(k);
            types.append(sep).append(in.text());
        }
        String body = """
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %cn = "loop.constant"() {value = N : index} : () -> index
                  "loop.for"(%c0, %cn, %c1) ({
                  ^bb0(%i: index):
                LOADS    %r = "OP"(OPERANDS) ATTRS : (TYPES) -> OUT
                    "loop.store"(%r, %y, %i) : (OUT, memref<NxOUT>, index) -> ()
                    "loop.yield"() : () -> ()
                  }) : (index, index, index) -> ()
                """.replace("LOADS", loads).replace("OPERANDS", operands).replace("ATTRS", attrs)
                .replace("TYPES", types).replace("OUT", out.text()).replace("OP", op).replace("N", Integer.toString(n));
        return LoopIr.singleKernel(inputs.toString(), "%y: memref<" + n + "x" + out.text() + ">", body);
    }

    /** Compiles with one thread, runs once, returns the outputs (allocated in {@code arena}). */
    public static MemorySegment[] run(Module m, Arena arena, MemorySegment... inputs) {
        try (NativeModel model = JitCompiler.compile(m, JitCompiler.Options.defaults().withThreads(1))) {
            return run(model, arena, inputs);
        }
    }

    public static MemorySegment[] run(NativeModel model, Arena arena, MemorySegment... inputs) {
        MemorySegment[] outputs = new MemorySegment[model.signature().outputs().size()];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = Buffers.zeros(arena, model.signature().outputs().get(i).byteSize());
        }
        model.run(inputs, outputs);
        return outputs;
    }
}
