package dev.lathe.passes.lower.ops;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.dialect.nn.TransposeOp;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.passes.lower.KernelContext;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.passes.lower.OpLowering;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Ops whose every output element is one input element at an affine position: transpose, concat,
 * split, slice, expand, tile, depth_to_space, space_to_depth. Each builds the index maps of
 * {@link AffineCopy}; the shapes come from the (static) buffer types, so the static and dynamic
 * forms share one lowering.
 */
final class CopyLowerings {

    private CopyLowerings() {}

    static void register(Lowerings r) {
        r.register("nn.transpose", CopyLowerings::transpose);
        r.register("nn.concat", CopyLowerings::concat);
        r.register("nn.split", withConstants(CopyLowerings::split, 1));
        r.register("nn.slice", withConstants(SliceLowering::lower, 1, 2, 3, 4));
        r.register("nn.expand", withConstants(CopyLowerings::expand, 1));
        r.register("nn.tile", withConstants(CopyLowerings::tile, 1));
        r.register("nn.depth_to_space", CopyLowerings::depthToSpace);
        r.register("nn.space_to_depth", CopyLowerings::spaceToDepth);
    }

    /** A lowering whose operands at {@code constants} (those present) are read at compile time. */
    static OpLowering withConstants(OpLowering body, int... constants) {
        return new OpLowering() {
            @Override
            public void lower(KernelContext cx) {
                body.lower(cx);
            }

            @Override
            public Set<Integer> constantOperands(Operation op) {
                return IntStream.of(constants).filter(i -> i < op.numOperands()).boxed().collect(Collectors.toSet());
            }
        };
    }

    static long[] shape(Value buffer) {
        return ((MemRefType) buffer.type()).shapeArray();
    }

    private static void transpose(KernelContext cx) {
        long[] out = shape(cx.output(0));
        int[] perm = TransposeOp.perm(cx.op().attributes(), out.length);
        AffineAccess src = AffineAccess.of(cx.input(0), out.length);
        for (int i = 0; i < out.length; i++) {
            src.term(perm[i], i, 1);
        }
        AffineCopy.emit(cx, out, src, AffineAccess.identity(cx.output(0)));
    }

    /** Each operand copied into its band of the result. */
    private static void concat(KernelContext cx) {
        int rank = shape(cx.output(0)).length;
        int axis = ShapeAttrs.axis(ShapeAttrs.integer(cx.op(), "axis", 0), rank);
        long start = 0;
        for (int i = 0; i < cx.numOperands(); i++) {
            long[] in = shape(cx.input(i));
            AffineAccess dst = AffineAccess.identity(cx.output(0)).offset(axis, start);
            AffineCopy.emit(cx, in, AffineAccess.identity(cx.input(i)), dst);
            start += in[axis];
        }
    }

    /** Each result copied from its band of the operand. */
    private static void split(KernelContext cx) {
        int rank = shape(cx.input(0)).length;
        int axis = ShapeAttrs.axis(ShapeAttrs.integer(cx.op(), "axis", 0), rank);
        long start = 0;
        for (int r = 0; r < cx.op().numResults(); r++) {
            long[] piece = shape(cx.output(r));
            AffineAccess src = AffineAccess.of(cx.input(0), rank).offset(axis, start);
            for (int d = 0; d < rank; d++) {
                src.term(d, d, 1);
            }
            AffineCopy.emit(cx, piece, src, AffineAccess.identity(cx.output(r)));
            start += piece[axis];
        }
    }

    /** numpy broadcasting: operand dims align right; a size-1 dim against a larger one stays at 0. */
    private static void expand(KernelContext cx) {
        long[] out = shape(cx.output(0));
        long[] in = shape(cx.input(0));
        AffineAccess src = AffineAccess.of(cx.input(0), out.length);
        int offset = out.length - in.length;
        for (int d = 0; d < in.length; d++) {
            if (in[d] == out[d + offset]) {
                src.term(d, d + offset, 1);
            }
        }
        AffineCopy.emit(cx, out, src, AffineAccess.identity(cx.output(0)));
    }

    /** Loops (repeat_d, i_d) per dim: the result index is repeat_d·n_d + i_d, the operand's i_d. */
    private static void tile(KernelContext cx) {
        long[] out = shape(cx.output(0));
        long[] in = shape(cx.input(0));
        int rank = in.length;
        long[] space = new long[2 * rank];
        AffineAccess src = AffineAccess.of(cx.input(0), 2 * rank);
        AffineAccess dst = AffineAccess.of(cx.output(0), 2 * rank);
        for (int d = 0; d < rank; d++) {
            space[2 * d] = in[d] == 0 ? 0 : out[d] / in[d];
            space[2 * d + 1] = in[d];
            src.term(d, 2 * d + 1, 1);
            dst.term(d, 2 * d, in[d]).term(d, 2 * d + 1, 1);
        }
        AffineCopy.emit(cx, space, src, dst);
    }

    /** Loops (n, c', h, i, w, j): result (n, c', h·b+i, w·b+j) from channel (i·b+j)·C'+c' (DCR) or c'·b²+i·b+j (CRD). */
    private static void depthToSpace(KernelContext cx) {
        long[] out = shape(cx.output(0));
        long b = ShapeAttrs.integer(cx.op(), "block_size", 1);
        boolean dcr = ShapeAttrs.string(cx.op(), "mode", "DCR").equals("DCR");
        long c = out[1];
        long[] space = {out[0], c, out[2] / b, b, out[3] / b, b};
        AffineAccess dst = AffineAccess.of(cx.output(0), 6).term(0, 0, 1).term(1, 1, 1)
                .term(2, 2, b).term(2, 3, 1).term(3, 4, b).term(3, 5, 1);
        AffineAccess src = AffineAccess.of(cx.input(0), 6).term(0, 0, 1).term(2, 2, 1).term(3, 4, 1);
        if (dcr) {
            src.term(1, 3, b * c).term(1, 5, c).term(1, 1, 1);
        } else {
            src.term(1, 1, b * b).term(1, 3, b).term(1, 5, 1);
        }
        AffineCopy.emit(cx, space, src, dst);
    }

    /** Loops (n, i, j, c, h', w'): result channel (i·b+j)·C+c at (h', w') from (c, h'·b+i, w'·b+j). */
    private static void spaceToDepth(KernelContext cx) {
        long[] in = shape(cx.input(0));
        long[] out = shape(cx.output(0));
        long b = ShapeAttrs.integer(cx.op(), "block_size", 1);
        long c = in[1];
        long[] space = {in[0], b, b, c, out[2], out[3]};
        AffineAccess dst = AffineAccess.of(cx.output(0), 6).term(0, 0, 1)
                .term(1, 1, b * c).term(1, 2, c).term(1, 3, 1).term(2, 4, 1).term(3, 5, 1);
        AffineAccess src = AffineAccess.of(cx.input(0), 6).term(0, 0, 1).term(1, 3, 1)
                .term(2, 4, b).term(2, 1, 1).term(3, 5, b).term(3, 2, 1);
        AffineCopy.emit(cx, space, src, dst);
    }
}
