package dev.lathe.ir.interp;

import static dev.lathe.ir.interp.InterpTestIR.doubles;
import static dev.lathe.ir.interp.InterpTestIR.longs;
import static dev.lathe.ir.interp.InterpTestIR.tensor;
import static dev.lathe.ir.interp.InterpTestIR.types;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lathe.ir.Operation;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InterpreterTest {

    @BeforeAll
    static void registerTestDialect() {
        InterpTestDialect.register();
    }

    /**
     * {@code @mlp(x: tensor<?x4xf32>) -> tensor<?x3xf32>}: relu(x * w + b), with w a
     * {@code dense_resource} weight and b an inline constant.
     */
    static InterpTestIR mlp() {
        InterpTestIR ir = new InterpTestIR();
        DenseElementsAttr w = doubles("tensor<4x3xf32>", 1, 0, -1, 0, 1, 0, 1, 1, 1, 0, 0, 2);
        ir.module.putResource("w", new ResourceBlob(w.toBytes(), 16));
        InterpTestIR.Func f = ir.func("mlp", List.of("x"), types("tensor<?x4xf32>"), types("tensor<?x3xf32>"));
        Type out = tensor("tensor<?x3xf32>");
        Value wv = f.constant(new DenseResourceAttr("w", tensor("tensor<4x3xf32>")));
        Value b = f.constant(doubles("tensor<3xf32>", 0.5, -1, 2));
        Value mm = f.op("nn.matmul", out, f.arg(0), wv);
        Value sum = f.op("nn.add", out, mm, b);
        f.ret(f.op("nn.relu", out, sum));
        Signature.setResultNames(f.fn, List.of("y"));
        return ir;
    }

    @Test
    void runsSmallMlpWithKnownNumbers() {
        Interpreter interp = new Interpreter(mlp().module);
        Map<String, DenseElementsAttr> out = interp.run("mlp",
                Map.of("x", doubles("tensor<2x4xf32>", 1, 2, 3, 4, -1, -2, -3, -4)));
        assertEquals(List.of("y"), List.copyOf(out.keySet()));
        assertEquals(tensor("tensor<2x3xf32>"), out.get("y").type());
        // Row 0: [4, 5, 10] + [0.5, -1, 2]; row 1: [-4, -5, -10] + b, all negative.
        assertArrayEquals(new double[] {4.5, 4, 12, 0, 0, 0}, out.get("y").toDoubles());
    }

    @Test
    void positionalRunGivesTheSameResults() {
        Interpreter interp = new Interpreter(mlp().module);
        List<DenseElementsAttr> out = interp.run("@mlp", List.of(doubles("tensor<1x4xf32>", 1, 1, 1, 1)));
        assertEquals(1, out.size());
        // [1, 1, 1, 1] * w = [2, 2, 2]; + b = [2.5, 1, 4].
        assertArrayEquals(new double[] {2.5, 1, 4}, out.get(0).toDoubles());
    }

    @Test
    void signatureNamesInputsAndOutputs() {
        Signature sig = new Interpreter(mlp().module).signature("mlp");
        assertEquals("@mlp(x: tensor<?x4xf32>) -> (y: tensor<?x3xf32>)", sig.toString());
        assertEquals(List.of("x"), sig.inputNames());
        assertEquals(List.of("y"), sig.outputNames());
    }

    @Test
    void unnamedArgumentsAndResultsGetPositionalNames() {
        InterpTestIR ir = new InterpTestIR();
        List<String> names = new ArrayList<>();
        names.add("x");
        names.add(null);
        names.add("x");
        names.add("7");
        InterpTestIR.Func f = ir.func("f", names,
                types("tensor<2xf32>", "tensor<2xf32>", "tensor<2xf32>", "tensor<2xf32>"),
                types("tensor<2xf32>", "tensor<2xf32>"));
        f.ret(f.arg(0), f.arg(3));
        Interpreter interp = new Interpreter(ir.module);
        Signature sig = interp.signature("f");
        assertEquals(List.of("x", "arg1", "x_1", "arg3"), sig.inputNames());
        assertEquals(List.of("result0", "result1"), sig.outputNames());
        DenseElementsAttr a = doubles("tensor<2xf32>", 1, 2);
        DenseElementsAttr d = doubles("tensor<2xf32>", 3, 4);
        Map<String, DenseElementsAttr> out = interp.run("f", Map.of("x", a, "arg1", a, "x_1", a, "arg3", d));
        assertEquals(Map.of("result0", a, "result1", d), out);
        assertEquals(List.of("f"), interp.functions());
    }

    @Test
    void callsFunctions() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<?x3xf32>");
        InterpTestIR.Func affine = ir.func("affine", List.of("v"), List.of(t), List.of(t));
        Value two = affine.constant(DenseElementsAttr.splat(tensor("tensor<f32>"), 2));
        Value one = affine.constant(DenseElementsAttr.splat(tensor("tensor<f32>"), 1));
        affine.ret(affine.op("nn.add", t, affine.op("nn.mul", t, affine.arg(0), two), one));
        InterpTestIR.Func main = ir.func("main", List.of("x"), List.of(t), List.of(t));
        Value once = main.call("affine", List.of(t), main.arg(0)).result();
        Value twice = main.call("affine", List.of(t), once).result();
        main.ret(main.op("nn.relu", t, twice));

        List<DenseElementsAttr> out = new Interpreter(ir.module).run("main",
                List.of(doubles("tensor<1x3xf32>", 0, -1, -2)));
        // 2 * (2x + 1) + 1 = 4x + 3: [3, -1, -5], then relu.
        assertArrayEquals(new double[] {3, 0, 0}, out.get(0).toDoubles());
    }

    @Test
    void decodesEachConstantOnceAcrossRuns() {
        List<DenseElementsAttr> constants = new ArrayList<>();
        ExecutionListener listener = (op, results, nanos, live) -> {
            if (op.isA("nn.constant")) {
                constants.add(results.get(0));
            }
        };
        Interpreter interp = new Interpreter(mlp().module, Interpreter.Options.DEFAULT.withListener(listener));
        DenseElementsAttr x = doubles("tensor<1x4xf32>", 1, 2, 3, 4);
        interp.run("mlp", List.of(x));
        interp.run("mlp", List.of(x));
        assertEquals(4, constants.size());
        assertSame(constants.get(0), constants.get(2), "the dense_resource weight was decoded again");
        assertSame(constants.get(1), constants.get(3));
        assertEquals(doubles("tensor<4x3xf32>", 1, 0, -1, 0, 1, 0, 1, 1, 1, 0, 0, 2), constants.get(0));
    }

    /** {@code @choose(c: tensor<i1>, x: tensor<3xf32>)}: if c then relu(x) else x * x. */
    @Test
    void regionOpRunsTheChosenRegionWithEnclosingValues() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<3xf32>");
        InterpTestIR.Func f = ir.func("choose", List.of("c", "x"), List.of(tensor("tensor<i1>"), t), List.of(t));
        Operation ifOp = f.op(InterpTestDialect.IF, List.of(t), Map.of(), 2, f.arg(0));
        InterpTestIR.Func then = f.region(ifOp, 0);
        then.op(InterpTestDialect.YIELD, List.of(), Map.of(), 0, then.op("nn.relu", t, f.arg(1)));
        InterpTestIR.Func otherwise = f.region(ifOp, 1);
        otherwise.op(InterpTestDialect.YIELD, List.of(), Map.of(), 0, otherwise.op("nn.mul", t, f.arg(1), f.arg(1)));
        f.ret(ifOp.result());

        Interpreter interp = new Interpreter(ir.module);
        DenseElementsAttr x = doubles("tensor<3xf32>", -2, 0.5, 3);
        assertArrayEquals(new double[] {0, 0.5, 3},
                interp.run("choose", List.of(longs("tensor<i1>", 1), x)).get(0).toDoubles());
        assertArrayEquals(new double[] {4, 0.25, 9},
                interp.run("choose", List.of(longs("tensor<i1>", 0), x)).get(0).toDoubles());
    }

    /** {@code @accumulate(x, d)}: repeat 3 times { a -> a + d }, so x + 3d; d lives across the iterations. */
    @Test
    void regionRunsRepeatedlyWithBlockArguments() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<2xi32>");
        InterpTestIR.Func f = ir.func("accumulate", List.of("x", "d"), List.of(t, t), List.of(t));
        Operation repeat = f.op(InterpTestDialect.REPEAT, List.of(t), Map.of("times", IntegerAttr.of(3)), 1, f.arg(0));
        InterpTestIR.Func body = f.region(repeat, 0, t);
        body.op(InterpTestDialect.YIELD, List.of(), Map.of(), 0, body.op("nn.add", t, body.arg(0), f.arg(1)));
        f.ret(repeat.result());

        List<DenseElementsAttr> out = new Interpreter(ir.module).run("accumulate",
                List.of(longs("tensor<2xi32>", 1, 2), longs("tensor<2xi32>", 10, -1)));
        assertArrayEquals(new long[] {31, -1}, out.get(0).toLongs());
    }

    @Test
    void laterChangesToTheModuleDoNotAffectTheInterpreter() {
        InterpTestIR ir = mlp();
        Interpreter interp = new Interpreter(ir.module);
        Operation relu = ir.module.functions().get(0).region(0).entryBlock().last().prevOp();
        relu.result().replaceAllUsesWith(relu.operand(0));
        relu.erase();
        DenseElementsAttr x = doubles("tensor<1x4xf32>", -1, -1, -1, -1);
        assertArrayEquals(new double[] {0, 0, 0}, interp.run("mlp", List.of(x)).get(0).toDoubles());
        assertArrayEquals(new double[] {-1.5, -3, 0}, new Interpreter(ir.module).run("mlp", List.of(x)).get(0)
                .toDoubles());
    }
}
