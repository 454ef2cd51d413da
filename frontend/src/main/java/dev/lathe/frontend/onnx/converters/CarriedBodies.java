package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.ir.Block;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.ValueTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports the body of a Loop or Scan, whose carried values (loop-carried dependencies, scan
 * states) go in as block arguments and come back as yields. ONNX lets an iteration change a
 * carried value's shape, so a block argument typed like the initial value may be too specific:
 * the body is imported with the initial types, and while a carried yield's type differs, again
 * with the two types joined (differing dims become {@code ?}). Each retry only turns dims into
 * {@code ?}, so this ends; element type and rank must stay. Carried sequences and optionals join
 * element by element ({@link ValueTypes#join}), which likewise only loosens.
 */
final class CarriedBodies {

    /** The imported body and its final block argument types. */
    record Body(Block block, List<Type> argumentTypes) {

        List<Type> yieldTypes() {
            return block.last().operandTypes();
        }
    }

    private CarriedBodies() {}

    /**
     * Imports {@code graph} with block arguments {@code before + carried + after}; the carried
     * values come back as yields {@code firstCarriedYield ...}.
     */
    static Body importBody(ConversionContext ctx, OnnxNode node, GraphProto graph, List<? extends Type> before,
            List<? extends Type> carried, List<? extends Type> after, int firstCarriedYield) {
        List<Type> types = new ArrayList<>(carried);
        while (true) {
            List<Type> args = new ArrayList<>(before);
            args.addAll(types);
            args.addAll(after);
            Block block = ctx.importSubgraph(graph, args);
            List<Type> yields = block.last().operandTypes();
            if (yields.size() < firstCarriedYield + types.size()) {
                throw node.error("the body yields " + yields.size() + " values; expected at least "
                        + (firstCarriedYield + types.size()));
            }
            List<Type> joined = new ArrayList<>();
            for (int j = 0; j < types.size(); j++) {
                joined.add(join(node, j, types.get(j), yields.get(firstCarriedYield + j)));
            }
            if (joined.equals(types)) {
                return new Body(block, args);
            }
            ctx.discardSubgraph(block);
            types = joined;
        }
    }

    private static Type join(OnnxNode node, int j, Type carried, Type out) {
        if (!(carried instanceof TensorType in)) { // a sequence or optional (Loop-13, -16)
            Type joined = ValueTypes.join(carried, out);
            if (joined == null) {
                throw node.unsupported("carried value #" + j + " goes into the body as " + carried.text()
                        + " but comes out as " + out.text());
            }
            return joined;
        }
        if (!(out instanceof TensorType t) || t.elementType() != in.elementType() || t.rank() != in.rank()) {
            throw node.unsupported("carried value #" + j + " goes into the body as " + in.text()
                    + " but comes out as " + out.text() + "; Lathe needs one element type and rank per carried value");
        }
        List<Long> dims = new ArrayList<>();
        for (int i = 0; i < t.rank(); i++) {
            dims.add(t.dim(i) == in.dim(i) ? in.dim(i) : TensorType.DYNAMIC);
        }
        return TensorType.of(dims, in.elementType());
    }
}
