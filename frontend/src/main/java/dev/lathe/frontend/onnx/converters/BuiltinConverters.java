package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.OnnxOpRegistry;
import dev.lathe.ir.dialect.nn.AddOp;
import dev.lathe.ir.dialect.nn.DivOp;
import dev.lathe.ir.dialect.nn.MulOp;
import dev.lathe.ir.dialect.nn.ReluOp;
import dev.lathe.ir.dialect.nn.SubOp;

/**
 * Every ONNX op Lathe converts, one line each. To add an op, write a converter next to the
 * others (one small class per op or family) and register it here; docs/onnx.md's table of
 * supported ops is checked against this list by a test.
 */
public final class BuiltinConverters {

    private BuiltinConverters() {}

    public static void registerAll(OnnxOpRegistry r) {
        r.register("Add", new ElementwiseBinaryConverter(AddOp.NAME));
        r.register("Constant", new ConstantConverter());
        r.register("Div", new ElementwiseBinaryConverter(DivOp.NAME));
        r.register("Gemm", new GemmConverter());
        r.register("Identity", new IdentityConverter());
        r.register("MatMul", new MatMulConverter());
        r.register("Mul", new ElementwiseBinaryConverter(MulOp.NAME));
        r.register("ReduceSum", new ReduceSumConverter());
        r.register("Relu", new UnaryConverter(ReluOp.NAME));
        r.register("Reshape", new ReshapeConverter());
        r.register("Sub", new ElementwiseBinaryConverter(SubOp.NAME));
        r.register("Transpose", new TransposeConverter());
        ElementwiseConverters.registerAll(r);
        ReductionConverters.registerAll(r);
        SpatialConverters.registerAll(r);
        ShapeConverters.registerAll(r);
        ControlFlowConverters.registerAll(r);
        SequenceConverters.registerAll(r);
        MiscConverters.registerAll(r);
    }
}
