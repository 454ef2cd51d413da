package dev.lathe.ir.dialect.nn;

import dev.lathe.ir.Block;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Region;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code nn.if}, {@code nn.loop} and {@code nn.scan} share: checks of their regions (one
 * block ending in {@code nn.yield}), of types flowing between operands, block arguments, yields
 * and results, and the byte-level slicing and stacking of tensors along an axis that loops and
 * scans do (exact for every element type: no value is converted).
 */
final class RegionBodies {

    private RegionBodies() {}

    /** The single block of region {@code index}, which must end in {@code nn.yield}. */
    static Block body(Operation op, int index) {
        Region region = op.region(index);
        if (region.blocks().size() != 1) {
            throw new InvalidOpException("expects region #" + index + " to have one block, found "
                    + region.blocks().size());
        }
        Block block = region.entryBlock();
        if (block.last() == null || !block.last().isA(YieldOp.NAME)) {
            throw new InvalidOpException("expects region #" + index + " to end in 'nn.yield', found "
                    + (block.last() == null ? "an empty block" : "'" + block.last().name() + "'"));
        }
        return block;
    }

    /** The types the region's {@code nn.yield} gives back, as tensors. */
    static List<TensorType> yieldedTypes(Block body, int index) {
        List<TensorType> out = new ArrayList<>();
        List<Type> types = body.last().operandTypes();
        for (int i = 0; i < types.size(); i++) {
            out.add(tensor(types.get(i), "region #" + index + " yield #" + i));
        }
        return out;
    }

    /** The block's argument types, as tensors. */
    static List<TensorType> argumentTypes(Block body, int index) {
        List<TensorType> out = new ArrayList<>();
        for (int i = 0; i < body.numArguments(); i++) {
            out.add(tensor(body.argument(i).type(), "region #" + index + " argument #" + i));
        }
        return out;
    }

    static TensorType tensor(Type t, String what) {
        if (!(t instanceof TensorType tensor)) {
            throw new InvalidOpException("expects " + what + " to be a tensor, found " + t.text());
        }
        return tensor;
    }

    /** {@code actual} may stand where {@code expected} is declared: same element type and rank, equal static dims. */
    static void requireCompatible(TensorType actual, TensorType expected, String what) {
        if (!actual.isCompatibleWith(expected)) {
            throw new InvalidOpException("expects " + what + " to be compatible with " + expected.text() + ", found "
                    + actual.text());
        }
    }

    /** A tensor of {@code elementType} holding one element: every static dim is 1. */
    static void requireSingleElement(TensorType t, ScalarType elementType, String what) {
        boolean ok = t.elementType() == elementType;
        for (int i = 0; ok && i < t.rank(); i++) {
            ok = t.dim(i) == 1 || t.dim(i) == TensorType.DYNAMIC;
        }
        if (!ok) {
            throw new InvalidOpException("expects " + what + " to be one " + elementType.text()
                    + " element (tensor<" + elementType.text() + "> or tensor<1x" + elementType.text() + ">), found "
                    + t.text());
        }
    }

    /** The boolean held by a one-element i1 tensor. */
    static boolean truth(DenseElementsAttr value, String what) {
        if (value.numElements() != 1) {
            throw new IllegalArgumentException(what + " must hold one element, found " + value.type().text());
        }
        return value.getLong(0) != 0;
    }

    /**
     * The most specific type both {@code a} and {@code b} fit: dims that differ become {@code ?}.
     * Element types and ranks must agree ({@code what} names the pair in the error).
     */
    static TensorType join(TensorType a, TensorType b, String what) {
        if (a.elementType() != b.elementType() || a.rank() != b.rank()) {
            throw new InvalidOpException("expects " + what + " to agree in element type and rank, found " + a.text()
                    + " and " + b.text());
        }
        List<Long> dims = new ArrayList<>();
        for (int i = 0; i < a.rank(); i++) {
            dims.add(a.dim(i) == b.dim(i) ? a.dim(i) : TensorType.DYNAMIC);
        }
        return TensorType.of(dims, a.elementType());
    }

    /** {@code t} with a dimension of size {@code size} inserted at {@code axis}. */
    static TensorType insertDim(TensorType t, int axis, long size) {
        List<Long> dims = new ArrayList<>(t.shape());
        dims.add(axis, size);
        return TensorType.of(dims, t.elementType());
    }

    /** {@code t} without dimension {@code axis}. */
    static TensorType removeDim(TensorType t, int axis) {
        List<Long> dims = new ArrayList<>(t.shape());
        dims.remove(axis);
        return TensorType.of(dims, t.elementType());
    }

    /** A one-element tensor of {@code type}'s element type and rank ({@code ?} read as 1) holding {@code value}. */
    static DenseElementsAttr scalarLike(TensorType type, long value) {
        long[] shape = new long[type.rank()];
        java.util.Arrays.fill(shape, 1);
        return DenseElementsAttr.fromLongs(TensorType.of(type.elementType(), shape), value);
    }

    // ---- slicing and stacking, on the elements' bytes

    /** Index {@code index} of {@code x} along {@code axis}, that dimension removed. */
    static DenseElementsAttr slice(DenseElementsAttr x, int axis, long index) {
        long[] shape = x.type().shapeArray();
        int size = x.elementType().byteSize();
        long outer = product(shape, 0, axis);
        long inner = product(shape, axis + 1, shape.length) * size;
        byte[] src = x.toBytes();
        byte[] out = new byte[Math.toIntExact(outer * inner)];
        for (long o = 0; o < outer; o++) {
            System.arraycopy(src, Math.toIntExact((o * shape[axis] + index) * inner), out, Math.toIntExact(o * inner),
                    Math.toIntExact(inner));
        }
        return DenseElementsAttr.fromBytes(removeDim(x.type(), axis), out);
    }

    /**
     * The values stacked along a new dimension at {@code axis}. They must share one shape; with no
     * values the result has that dimension 0 and the other dims of {@code partType} ({@code ?}
     * read as 0).
     */
    static DenseElementsAttr stack(List<DenseElementsAttr> parts, int axis, TensorType partType, String what) {
        if (parts.isEmpty()) {
            long[] shape = partType.shapeArray();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.max(shape[i], 0);
            }
            return DenseElementsAttr.fromBytes(insertDim(TensorType.of(partType.elementType(), shape), axis, 0),
                    new byte[0]);
        }
        TensorType first = parts.get(0).type();
        for (int i = 1; i < parts.size(); i++) {
            if (!parts.get(i).type().equals(first)) {
                throw new IllegalArgumentException(what + " is " + parts.get(i).type().text() + " at iteration " + i
                        + " but " + first.text() + " at iteration 0; stacked values must share one shape");
            }
        }
        long[] shape = first.shapeArray();
        int size = first.elementType().byteSize();
        long outer = product(shape, 0, axis);
        long inner = product(shape, axis, shape.length) * size;
        int n = parts.size();
        byte[] out = new byte[Math.toIntExact(outer * inner * n)];
        for (int p = 0; p < n; p++) {
            byte[] src = parts.get(p).toBytes();
            for (long o = 0; o < outer; o++) {
                System.arraycopy(src, Math.toIntExact(o * inner), out, Math.toIntExact((o * n + p) * inner),
                        Math.toIntExact(inner));
            }
        }
        return DenseElementsAttr.fromBytes(insertDim(first, axis, n), out);
    }

    private static long product(long[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }
}
