package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Block;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.Verifier;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.interp.InterpreterException;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** nn.if, nn.loop, nn.scan and nn.yield: result types, verifier errors, and runs through the interpreter. */
class ControlFlowOpsTest {

    /** {@code @f(args) -> results} under construction; ops go into {@link #block}. */
    private static final class Fn {
        final Module module = Module.create();
        final Operation fn;
        Block block;

        Fn(List<Type> args, List<Type> results) {
            fn = FuncOps.createFunc("f", FunctionType.of(args, results), Location.name("f"));
            module.body().append(fn);
            block = FuncOps.body(fn);
        }

        Value arg(int i) {
            return FuncOps.body(fn).argument(i);
        }

        Operation op(String name, List<Type> results, Map<String, Attribute> attrs, int regions, Value... operands) {
            Operation op = Operation.create(name, List.of(operands), results, attrs, regions, Location.name(name));
            block.append(op);
            return op;
        }

        Value op(String name, Type result, Value... operands) {
            return op(name, List.of(result), Map.of(), 0, operands).result();
        }

        /** Makes region {@code r} of {@code op} the block ops are appended to, with these argument types. */
        Block enter(Operation op, int r, Type... argTypes) {
            block = op.region(r).addBlock(new Block(List.of(argTypes)));
            return block;
        }

        void yield(Value... values) {
            op(YieldOp.NAME, List.of(), Map.of(), 0, values);
            block = FuncOps.body(fn);
        }

        List<String> errors(Value... results) {
            FuncOps.body(fn).append(FuncOps.createReturn(List.of(results), Location.UNKNOWN));
            return Verifier.verify(module, false).stream().map(Diagnostic::toString).toList();
        }

        List<DenseElementsAttr> run(DenseElementsAttr... inputs) {
            return new Interpreter(module).run("f", List.of(inputs));
        }
    }

    private static List<Type> types(String... texts) {
        return Arrays.stream(texts).map(t -> (Type) tensor(t)).toList();
    }

    /** {@code if c { x * x } else { x + 1 }} on f32, with the branch values used from above. */
    @Test
    void ifRunsTheBranchTheConditionPicks() {
        Fn f = new Fn(types("tensor<i1>", "tensor<3xf32>"), types("tensor<3xf32>"));
        Value one = f.op(ConstantOp.NAME, List.of(tensor("tensor<f32>")),
                Map.of("value", doubles("tensor<f32>", 1)), 0).result();
        Operation ifOp = f.op(IfOp.NAME, types("tensor<3xf32>"), Map.of(), 2, f.arg(0));
        f.enter(ifOp, 0);
        f.yield(f.op(MulOp.NAME, tensor("tensor<3xf32>"), f.arg(1), f.arg(1)));
        f.enter(ifOp, 1);
        f.yield(f.op(AddOp.NAME, tensor("tensor<3xf32>"), f.arg(1), one));
        assertEquals(List.of(), f.errors(ifOp.result()));
        DenseElementsAttr x = doubles("tensor<3xf32>", -2, 0.5, 3);
        assertArrayEquals(new double[] {4, 0.25, 9}, f.run(longs("tensor<i1>", 1), x).get(0).toDoubles());
        assertArrayEquals(new double[] {-1, 1.5, 4}, f.run(longs("tensor<i1>", 0), x).get(0).toDoubles());
    }

    @Test
    void ifResultTypesJoinTheBranches() {
        assertEquals(types("tensor<?x3xf32>"), IfOp.resultTypes(types("tensor<2x3xf32>"), types("tensor<5x3xf32>")));
        Exception e = assertThrows(Exception.class,
                () -> IfOp.resultTypes(types("tensor<2xf32>"), types("tensor<2x1xf32>")));
        assertTrue(e.getMessage().contains("element type and rank"), e.getMessage());
    }

    @Test
    void ifRejectsABranchYieldingAnotherType() {
        Fn f = new Fn(types("tensor<i1>", "tensor<3xf32>", "tensor<3xi32>"), types("tensor<3xf32>"));
        Operation ifOp = f.op(IfOp.NAME, types("tensor<3xf32>"), Map.of(), 2, f.arg(0));
        f.enter(ifOp, 0);
        f.yield(f.arg(1));
        f.enter(ifOp, 1);
        f.yield(f.arg(2));
        NnTestIR.assertOneError(f.errors(ifOp.result()), "'nn.if' op",
                "region #1 yield #0 to have the element type and rank of result #0 (tensor<3xf32>), found tensor<3xi32>");
    }

    /**
     * {@code for (i = 0; i < M && cond; i++) { s += i; cond = s < 10; stack(s) }} on i32, s0 = 3:
     * s = 3, 4, 6, 9 after four iterations; a fifth gives 13 and ends the loop by its condition.
     */
    @Test
    void loopCarriesStacksAndStopsOnTripCountOrCondition() {
        Fn f = new Fn(types("tensor<i64>", "tensor<i1>", "tensor<i32>"), types("tensor<i32>", "tensor<?xi32>"));
        Value ten = f.op(ConstantOp.NAME, List.of(tensor("tensor<i32>")),
                Map.of("value", longs("tensor<i32>", 10)), 0).result();
        Operation loop = f.op(LoopOp.NAME, types("tensor<i32>", "tensor<?xi32>"), Map.of(), 1, f.arg(0), f.arg(1),
                f.arg(2));
        Block body = f.enter(loop, 0, tensor("tensor<i64>"), tensor("tensor<i1>"), tensor("tensor<i32>"));
        Value i = f.op(CastOp.NAME, List.of(tensor("tensor<i32>")), Map.of("to", new TypeAttr(ScalarType.I32)), 0,
                body.argument(0)).result();
        Value s = f.op(AddOp.NAME, tensor("tensor<i32>"), body.argument(2), i);
        f.yield(f.op("nn.less", tensor("tensor<i1>"), s, ten), s, s);
        assertEquals(List.of(), f.errors(loop.result(0), loop.result(1)));

        List<DenseElementsAttr> out = f.run(longs("tensor<i64>", 4), longs("tensor<i1>", 1), longs("tensor<i32>", 3));
        assertArrayEquals(new long[] {9}, out.get(0).toLongs());
        assertArrayEquals(new long[] {3, 4, 6, 9}, out.get(1).toLongs());
        out = f.run(longs("tensor<i64>", 100), longs("tensor<i1>", 1), longs("tensor<i32>", 3));
        assertArrayEquals(new long[] {13}, out.get(0).toLongs());
        assertArrayEquals(new long[] {3, 4, 6, 9, 13}, out.get(1).toLongs());
        out = f.run(longs("tensor<i64>", 5), longs("tensor<i1>", 0), longs("tensor<i32>", 3));
        assertArrayEquals(new long[] {3}, out.get(0).toLongs());
        assertEquals(tensor("tensor<0xi32>"), out.get(1).type());
    }

    @Test
    void loopResultTypesStackUnderALeadingDynamicDim() {
        assertEquals(types("tensor<?x2xf32>", "tensor<?x?x3xi8>"), LoopOp.resultTypes(1,
                types("tensor<i64>", "tensor<i1>", "tensor<?x2xf32>"),
                types("tensor<i1>", "tensor<4x2xf32>", "tensor<?x3xi8>")));
    }

    @Test
    void loopRejectsAFloatTripCount() {
        Fn f = new Fn(types("tensor<f32>", "tensor<i1>"), types());
        Operation loop = f.op(LoopOp.NAME, List.of(), Map.of(), 1, f.arg(0), f.arg(1));
        Block body = f.enter(loop, 0, tensor("tensor<i64>"), tensor("tensor<i1>"));
        f.yield(body.argument(1));
        NnTestIR.assertOneError(f.errors(), "'nn.loop' op",
                "expects the trip count to be one i64 element (tensor<i64> or tensor<1xi64>), found tensor<f32>");
    }

    private static Map<String, Attribute> scanAttrs(long m, long[] inAxes, long[] inDirs, long[] outAxes,
            long[] outDirs) {
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("num_scan_inputs", IntegerAttr.of(m));
        attrs.put("scan_input_axes", array(inAxes));
        attrs.put("scan_input_directions", array(inDirs));
        attrs.put("scan_output_axes", array(outAxes));
        attrs.put("scan_output_directions", array(outDirs));
        return attrs;
    }

    /**
     * A running sum over the columns of x (scan axis 1) read from the end, stacking the partial
     * sums on axis 1 in reverse: x = [[1, 2, 3], [10, 20, 30]] in f16 gives state [6, 60] and
     * outputs, per column read 2, 1, 0: [3, 30], [5, 50], [6, 60], reversed on axis 1.
     */
    @Test
    void scanReadsAndStacksAlongAxesInEitherDirection() {
        Map<String, Attribute> attrs = scanAttrs(1, new long[] {1}, new long[] {1}, new long[] {1}, new long[] {1});
        List<Type> operands = types("tensor<2xf16>", "tensor<2x3xf16>");
        assertEquals(types("tensor<2xf16>", "tensor<2xf16>"), ScanOp.argumentTypes(operands, attrs));
        List<Type> results = ScanOp.resultTypes(operands, attrs, types("tensor<2xf16>", "tensor<2xf16>"),
                types("tensor<2xf16>", "tensor<2xf16>"));
        assertEquals(types("tensor<2xf16>", "tensor<2x3xf16>"), results);

        Fn f = new Fn(operands, results);
        Operation scan = f.op(ScanOp.NAME, results, attrs, 1, f.arg(0), f.arg(1));
        Block body = f.enter(scan, 0, tensor("tensor<2xf16>"), tensor("tensor<2xf16>"));
        Value sum = f.op(AddOp.NAME, tensor("tensor<2xf16>"), body.argument(0), body.argument(1));
        f.yield(sum, sum);
        assertEquals(List.of(), f.errors(scan.result(0), scan.result(1)));
        List<DenseElementsAttr> out = f.run(doubles("tensor<2xf16>", 0, 0),
                doubles("tensor<2x3xf16>", 1, 2, 3, 10, 20, 30));
        assertArrayEquals(new double[] {6, 60}, out.get(0).toDoubles());
        assertArrayEquals(new double[] {6, 5, 3, 60, 50, 30}, out.get(1).toDoubles());
    }

    @Test
    void scanLengthIsDynamicWhenTheScannedAxisIs() {
        Map<String, Attribute> attrs = scanAttrs(1, new long[] {0}, new long[] {0}, new long[] {0}, new long[] {0});
        assertEquals(types("tensor<?x4xi64>"), ScanOp.resultTypes(types("tensor<?x4xi64>"), attrs,
                types("tensor<4xi64>"), types("tensor<4xi64>")));
    }

    @Test
    void scanRejectsAnInputAxisOutOfRange() {
        Map<String, Attribute> attrs = scanAttrs(1, new long[] {2}, new long[] {0}, new long[] {}, new long[] {});
        Fn f = new Fn(types("tensor<2x3xi8>"), types());
        Operation scan = f.op(ScanOp.NAME, List.of(), attrs, 1, f.arg(0));
        f.enter(scan, 0, tensor("tensor<2xi8>"));
        f.yield();
        NnTestIR.assertOneError(f.errors(), "'nn.scan' op",
                "expects scan_input_axes[0] in 0..1 for tensor<2x3xi8>, found 2");
    }

    @Test
    void stackedValuesMustShareOneShape() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> RegionBodies.stack(
                List.of(longs("tensor<2xi1>", 1, 0), longs("tensor<3xi1>", 1, 1, 0)), 0, tensor("tensor<?xi1>"), "x"));
        assertEquals("x is tensor<3xi1> at iteration 1 but tensor<2xi1> at iteration 0; stacked values must share one"
                + " shape", e.getMessage());
        DenseElementsAttr stacked = RegionBodies.stack(List.of(longs("tensor<2xi1>", 1, 0), longs("tensor<2xi1>", 0, 1)),
                1, tensor("tensor<2xi1>"), "x");
        assertEquals(tensor("tensor<2x2xi1>"), stacked.type());
        assertArrayEquals(new long[] {1, 0, 0, 1}, stacked.toLongs());
        assertArrayEquals(new long[] {0, 1}, RegionBodies.slice(stacked, 1, 1).toLongs());
    }

    @Test
    void yieldOutsideAControlFlowOpIsAnError() {
        Fn f = new Fn(types("tensor<f32>"), types());
        f.op(YieldOp.NAME, List.of(), Map.of(), 0, f.arg(0));
        List<String> errors = Verifier.verify(f.module, false).stream().map(Diagnostic::toString).toList();
        assertTrue(errors.stream().anyMatch(m -> m.contains("expects to terminate a region of nn.if, nn.loop, nn.scan, nn.sequence_map or nn.fused,"
                + " found it in 'func.func'")), errors.toString());
    }

    @Test
    void loopStackingDifferentShapesFailsAtRunTime() {
        // The body yields x[0:i+1] (shape i+1), so stacking fails at iteration 1.
        Fn f = new Fn(types("tensor<i64>", "tensor<4xf32>"), types("tensor<?x?xf32>"));
        Value yes = f.op(ConstantOp.NAME, List.of(tensor("tensor<i1>")), Map.of("value", longs("tensor<i1>", 1)), 0)
                .result();
        Operation loop = f.op(LoopOp.NAME, types("tensor<?x?xf32>"), Map.of(), 1, f.arg(0), yes);
        Block body = f.enter(loop, 0, tensor("tensor<i64>"), tensor("tensor<i1>"));
        Value zero = f.op(ConstantOp.NAME, List.of(tensor("tensor<1xi64>")), Map.of("value", longs("tensor<1xi64>", 0)),
                0).result();
        Value end = f.op(UnsqueezeOp.NAME, List.of(tensor("tensor<1xi64>")), Map.of("axes", array(0)), 0,
                f.op(AddOp.NAME, tensor("tensor<i64>"), body.argument(0), f.op(ConstantOp.NAME,
                        List.of(tensor("tensor<i64>")), Map.of("value", longs("tensor<i64>", 1)), 0).result())).result();
        Value part = f.op(SliceOp.NAME, List.of(tensor("tensor<?xf32>")), Map.of(), 0, f.arg(1), zero, end, zero,
                f.op(ConstantOp.NAME, List.of(tensor("tensor<1xi64>")), Map.of("value", longs("tensor<1xi64>", 1)), 0)
                        .result()).result();
        f.yield(body.argument(1), part);
        assertEquals(List.of(), f.errors(loop.result(0)));
        InterpreterException e = assertThrows(InterpreterException.class,
                () -> f.run(longs("tensor<i64>", 3), doubles("tensor<4xf32>", 1, 2, 3, 4)));
        assertTrue(e.getMessage().contains("stacked value #0 is tensor<2xf32> at iteration 1 but tensor<1xf32> at"
                + " iteration 0"), e.getMessage());
    }
}
