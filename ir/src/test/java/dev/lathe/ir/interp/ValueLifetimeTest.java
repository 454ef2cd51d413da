package dev.lathe.ir.interp;

import static dev.lathe.ir.interp.InterpTestIR.doubles;
import static dev.lathe.ir.interp.InterpTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The interpreter releases every value after its last use; observed through the listener's live count. */
class ValueLifetimeTest {

    @BeforeAll
    static void registerTestDialect() {
        InterpTestDialect.register();
    }

    /** One {@code "name: live"} entry per op run. */
    private static List<String> trace(InterpTestIR ir, String function, List<DenseElementsAttr> args) {
        List<String> trace = new ArrayList<>();
        Interpreter interp = new Interpreter(ir.module, Interpreter.Options.DEFAULT.withListener(
                (op, results, nanos, live) -> trace.add(op.name() + ": " + live)));
        interp.run(function, args);
        return trace;
    }

    @Test
    void chainHoldsOnlyTheValuesStillNeeded() {
        // x -> relu -> relu -> ... (10 times) -> add(last, x): x and the newest value are live.
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<3xf32>");
        InterpTestIR.Func f = ir.func("chain", List.of("x"), List.of(t), List.of(t));
        Value v = f.arg(0);
        for (int i = 0; i < 10; i++) {
            v = f.op("nn.relu", t, v);
        }
        f.ret(f.op("nn.add", t, v, f.arg(0)));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("nn.relu: 2");
        }
        expected.add("nn.add: 1");
        assertEquals(expected, trace(ir, "chain", List.of(doubles("tensor<3xf32>", -1, 0, 2))));
    }

    @Test
    void unusedValuesAreReleasedAtOnce() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<3xf32>");
        InterpTestIR.Func f = ir.func("f", List.of("x", "unused"), List.of(t, t), List.of(t));
        f.op("nn.relu", t, f.arg(0)); // dead: its result has no use
        f.constant(doubles("tensor<2xf32>", 1, 2)); // dead constant
        f.ret(f.op("nn.mul", t, f.arg(0), f.arg(0)));
        DenseElementsAttr x = doubles("tensor<3xf32>", 1, 2, 3);
        assertEquals(List.of("nn.relu: 1", "nn.constant: 1", "nn.mul: 1"), trace(ir, "f", List.of(x, x)));
    }

    @Test
    void valuesUsedInsideRegionsLiveUntilTheRegionOpIsDone() {
        // d is used only inside the loop body: it must survive all three iterations, then go.
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<2xf32>");
        InterpTestIR.Func f = ir.func("f", List.of("x", "d"), List.of(t, t), List.of(t));
        Operation repeat = f.op(InterpTestDialect.REPEAT, List.of(t), Map.of("times", IntegerAttr.of(3)), 1, f.arg(0));
        InterpTestIR.Func body = f.region(repeat, 0, t);
        Value sum = body.op("nn.add", t, body.arg(0), f.arg(1));
        body.op(InterpTestDialect.YIELD, List.of(), Map.of(), 0, body.op("nn.relu", t, sum));
        f.ret(f.op("nn.relu", t, repeat.result()));
        List<String> trace = new ArrayList<>();

        Interpreter interp = new Interpreter(ir.module, Interpreter.Options.DEFAULT.withListener(
                (op, rs, nanos, live) -> trace.add(op.name() + ": " + live)));
        DenseElementsAttr out = interp.run("f",
                List.of(doubles("tensor<2xf32>", 1, -5), doubles("tensor<2xf32>", 1, 1))).get(0);
        // Inside the body: x and d of the function, plus the sum (the carried argument is dead after the
        // add), then plus the relu (the sum is dead after it). After the repeat, x and d are gone.
        List<String> iteration = List.of("nn.add: 3", "nn.relu: 3");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            expected.addAll(iteration);
        }
        expected.add(InterpTestDialect.REPEAT + ": 1");
        expected.add("nn.relu: 1");
        assertEquals(expected, trace);
        assertArrayEquals(new double[] {4, 2}, out.toDoubles());
    }
}
