package dev.lathe.backend.cpu;

import dev.lathe.backend.cpu.codegen.CodegenException;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.loop.LoopOps;
import dev.lathe.ir.type.MemRefType;

/**
 * The one blob of constant data a model reads through its {@code weights} pointer: every
 * {@code loop.weight} of {@code @main} at its planned {@code offset} (little-endian, i1 as a
 * byte per element), the total rounded up to 64 bytes.
 */
public final class WeightsBlob {

    private WeightsBlob() {}

    public static byte[] build(Module module) {
        Operation main = ModelSignature.main(module);
        long size = 0;
        for (Operation op : FuncOps.body(main).operations()) {
            if (op.isA(LoopOps.WEIGHT)) {
                size = Math.max(size, offset(op) + ((MemRefType) op.result().type()).byteSize());
            }
        }
        long padded = (size + 63) / 64 * 64;
        if (padded > Integer.MAX_VALUE - 8) {
            throw new CodegenException(main, "weights take " + size + " bytes; the CPU backend holds at most 2 GiB");
        }
        byte[] blob = new byte[(int) padded];
        for (Operation op : FuncOps.body(main).operations()) {
            if (op.isA(LoopOps.WEIGHT)) {
                copy(module, op, blob, Math.toIntExact(offset(op)));
            }
        }
        return blob;
    }

    private static long offset(Operation op) {
        if (!(op.attr("offset") instanceof IntegerAttr offset)) {
            throw new CodegenException(op, "has no 'offset' attribute (plan-buffers assigns weight offsets)");
        }
        return offset.value();
    }

    /** Copies the weight's bytes into {@code blob} at {@code at} (once: the weights are most of a model's size). */
    private static void copy(Module module, Operation op, byte[] blob, int at) {
        long expected = ((MemRefType) op.result().type()).byteSize();
        switch (op.attr("value")) {
            case DenseElementsAttr dense -> {
                long size = dense.numElements() * dense.elementType().byteSize();
                check(op, size, expected);
                dense.copyBytesTo(blob, at);
            }
            case DenseResourceAttr ref -> {
                ResourceBlob resource = module.resource(ref.name());
                if (resource == null) {
                    throw new CodegenException(op, "refers to resource '" + ref.name() + "', which the module does not hold");
                }
                check(op, resource.size(), expected);
                resource.asReadOnlyBuffer().get(blob, at, resource.size());
            }
            case null, default -> throw new CodegenException(op, "'value' must be dense<...> or dense_resource<...>");
        }
    }

    private static void check(Operation op, long size, long expected) {
        if (size != expected) {
            throw new CodegenException(op, "'value' holds " + size + " bytes; " + op.result().type().text()
                    + " needs " + expected);
        }
    }
}
