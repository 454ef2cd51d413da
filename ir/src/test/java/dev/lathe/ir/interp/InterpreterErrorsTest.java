package dev.lathe.ir.interp;

import static dev.lathe.ir.interp.InterpTestIR.doubles;
import static dev.lathe.ir.interp.InterpTestIR.longs;
import static dev.lathe.ir.interp.InterpTestIR.tensor;
import static dev.lathe.ir.interp.InterpTestIR.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InterpreterErrorsTest {

    @BeforeAll
    static void registerTestDialect() {
        InterpTestDialect.register();
    }

    private static InterpreterException runFails(Interpreter interp, String function, DenseElementsAttr... args) {
        return assertThrows(InterpreterException.class, () -> interp.run(function, List.of(args)));
    }

    /** {@code @divide(a, b)} at line 1: {@code nn.div} at line 2. */
    private static InterpTestIR divide() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<2xi32>");
        InterpTestIR.Func f = ir.func("divide", List.of("a", "b"), List.of(t, t), List.of(t));
        f.ret(f.op("nn.div", t, f.arg(0), f.arg(1)));
        return ir;
    }

    @Test
    void errorOfReferenceSemanticsIsLocatedAtTheOp() {
        InterpreterException e = runFails(new Interpreter(divide().module), "divide",
                longs("tensor<2xi32>", 4, 4), longs("tensor<2xi32>", 2, 0));
        assertEquals("t.lir:2:5: 'nn.div': integer division by zero (4 / 0)", e.getMessage());
        assertEquals(Location.of("t.lir", 2, 5), e.location());
        assertInstanceOf(ArithmeticException.class, e.getCause());
    }

    @Test
    void errorInsideCallNamesTheCallSite() {
        InterpTestIR ir = divide();
        Type t = tensor("tensor<2xi32>");
        InterpTestIR.Func main = ir.func("main", List.of("a"), List.of(t), List.of(t));
        main.ret(main.call("divide", List.of(t), main.arg(0), main.arg(0)).result());
        InterpreterException e = runFails(new Interpreter(ir.module), "main", longs("tensor<2xi32>", 3, 0));
        assertEquals("t.lir:2:5: 'nn.div': integer division by zero (0 / 0)\n"
                + "  called from t.lir:5:5 ('func.call' to '@divide' in '@main')", e.getMessage());
    }

    @Test
    void unboundedRecursionStopsAtTheCallDepthLimit() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<2xf32>");
        InterpTestIR.Func f = ir.func("forever", List.of("x"), List.of(t), List.of(t));
        f.ret(f.call("forever", List.of(t), f.arg(0)).result());
        Interpreter interp = new Interpreter(ir.module, Interpreter.Options.DEFAULT.withMaxCallDepth(40));
        InterpreterException e = runFails(interp, "forever", doubles("tensor<2xf32>", 1, 2));
        assertTrue(e.getMessage().startsWith("t.lir:2:5: 'func.call': call depth exceeds the limit of 40 calling"
                + " '@forever' from '@forever' (unbounded recursion?)\n"), e.getMessage());
        assertEquals(InterpreterException.MAX_CALL_SITES, e.callSites().size());
        assertTrue(e.getMessage().endsWith("... and " + (39 - InterpreterException.MAX_CALL_SITES) + " more calls"),
                e.getMessage());
    }

    @Test
    void unregisteredOpHasNoReferenceSemantics() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<2xf32>");
        InterpTestIR.Func f = ir.func("f", List.of("x"), List.of(t), List.of(t));
        f.ret(f.op("foo.bar", t, f.arg(0)));
        DiagnosticException invalid = assertThrows(DiagnosticException.class, () -> new Interpreter(ir.module));
        assertTrue(invalid.getMessage().contains("t.lir:2:5: error: 'foo.bar' op is not registered"),
                invalid.getMessage());

        Interpreter lenient = new Interpreter(ir.module, Interpreter.Options.DEFAULT.withAllowUnregistered(true));
        InterpreterException e = runFails(lenient, "f", doubles("tensor<2xf32>", 1, 2));
        assertEquals("t.lir:2:5: 'foo.bar': op is not registered, so it has no reference semantics", e.getMessage());
    }

    @Test
    void opWithoutReferenceSemanticsFailsBeforeAnythingRuns() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<2xf32>");
        InterpTestIR.Func f = ir.func("f", List.of("x"), List.of(t), List.of(t));
        Value r = f.op("nn.relu", t, f.arg(0));
        f.ret(f.op(InterpTestDialect.OPAQUE, t, r));
        List<String> ran = new ArrayList<>();
        Interpreter interp = new Interpreter(ir.module,
                Interpreter.Options.DEFAULT.withListener((op, results, nanos, live) -> ran.add(op.name())));
        InterpreterException e = runFails(interp, "f", doubles("tensor<2xf32>", 1, 2));
        assertEquals("t.lir:3:5: 'test_interp.opaque': op has no reference semantics (its definition does not"
                + " implement evaluate)", e.getMessage());
        assertEquals(List.of(), ran);
    }

    @Test
    void wrongStaticResultTypeIsCaughtAfterTheOp() {
        InterpTestIR ir = new InterpTestIR();
        Type dyn = tensor("tensor<?x3xf32>");
        InterpTestIR.Func f = ir.func("f", List.of("x", "y"), List.of(dyn, dyn), types("tensor<2x3xf32>"));
        // Verifies: tensor<2x3xf32> is compatible with the inferred tensor<?x3xf32>, but wrong for 5 rows.
        f.ret(f.op("nn.add", tensor("tensor<2x3xf32>"), f.arg(0), f.arg(1)));
        Interpreter interp = new Interpreter(ir.module);
        DenseElementsAttr five = DenseElementsAttr.splat(tensor("tensor<5x3xf32>"), 1);
        InterpreterException e = runFails(interp, "f", five, five);
        assertEquals("t.lir:2:5: 'nn.add': result #0 is tensor<5x3xf32> but the op declares tensor<2x3xf32>"
                + " (dim 0 is 5, expected 2)", e.getMessage());
        DenseElementsAttr two = DenseElementsAttr.splat(tensor("tensor<2x3xf32>"), 1);
        assertEquals(tensor("tensor<2x3xf32>"), interp.run("f", List.of(two, two)).get(0).type());
    }

    @Test
    void resultOfWrongShapeOrElementTypeFromEvaluateIsReported() {
        InterpTestIR ir = new InterpTestIR();
        InterpTestIR.Func f = ir.func("f", List.of(), List.of(), types("tensor<3xf32>", "tensor<4xi32>"));
        Value a = f.op(InterpTestDialect.MAKE, List.of(tensor("tensor<3xf32>")),
                Map.of("shape", ArrayAttr.ofLongs(4)), 0).result();
        Value b = f.op(InterpTestDialect.MAKE, List.of(tensor("tensor<4xi32>")),
                Map.of("shape", ArrayAttr.ofLongs(4)), 0).result();
        f.ret(a, b);
        InterpreterException e = runFails(new Interpreter(ir.module), "f");
        assertEquals("t.lir:2:5: 'test_interp.make': result #0 is tensor<4xf32> but the op declares tensor<3xf32>"
                + " (dim 0 is 4, expected 3)", e.getMessage());

        InterpTestIR ir2 = new InterpTestIR();
        InterpTestIR.Func g = ir2.func("g", List.of(), List.of(), types("tensor<4xi32>"));
        g.ret(g.op(InterpTestDialect.MAKE, List.of(tensor("tensor<4xi32>")), Map.of("shape", ArrayAttr.ofLongs(4)), 0)
                .result());
        assertEquals("t.lir:2:5: 'test_interp.make': result #0 is tensor<4xf32> but the op declares tensor<4xi32>"
                + " (element type f32, expected i32)", runFails(new Interpreter(ir2.module), "g").getMessage());
    }

    @Test
    void returnedValuesAreCheckedAgainstTheFunctionType() {
        InterpTestIR ir = new InterpTestIR();
        Type dyn = tensor("tensor<?x3xf32>");
        InterpTestIR.Func f = ir.func("f", List.of("x"), List.of(dyn), types("tensor<2x3xf32>"));
        f.ret(f.op("nn.relu", dyn, f.arg(0)));
        InterpreterException e = runFails(new Interpreter(ir.module), "f",
                DenseElementsAttr.splat(tensor("tensor<5x3xf32>"), 1));
        assertEquals("t.lir:3:5: 'func.return': result #0 of '@f': expected tensor<2x3xf32>, got tensor<5x3xf32>"
                + " (dim 0 is 5, expected 2)", e.getMessage());
    }

    @Test
    void callArgumentsAreCheckedAgainstTheCallee() {
        InterpTestIR ir = new InterpTestIR();
        Type fixed = tensor("tensor<2x3xf32>");
        Type dyn = tensor("tensor<?x3xf32>");
        InterpTestIR.Func g = ir.func("g", List.of("v"), List.of(fixed), List.of(fixed));
        g.ret(g.arg(0));
        InterpTestIR.Func main = ir.func("main", List.of("x"), List.of(dyn), List.of(fixed));
        main.ret(main.call("g", List.of(fixed), main.arg(0)).result());
        InterpreterException e = runFails(new Interpreter(ir.module), "main",
                DenseElementsAttr.splat(tensor("tensor<4x3xf32>"), 1));
        assertEquals("t.lir:4:5: 'func.call': argument #0 of '@g': expected tensor<2x3xf32>, got tensor<4x3xf32>"
                + " (dim 0 is 4, expected 2)", e.getMessage());
    }

    @Test
    void regionBlockArgumentsAreChecked() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<2xf32>");
        InterpTestIR.Func f = ir.func("f", List.of("x"), List.of(t), List.of(t));
        Operation repeat = f.op(InterpTestDialect.REPEAT, List.of(t),
                Map.of("times", IntegerAttr.of(1)), 1, f.arg(0));
        InterpTestIR.Func body = f.region(repeat, 0, tensor("tensor<3xf32>"));
        body.op(InterpTestDialect.YIELD, List.of(), Map.of(), 0, f.arg(0));
        f.ret(repeat.result());
        InterpreterException e = runFails(new Interpreter(ir.module), "f", doubles("tensor<2xf32>", 1, 2));
        assertEquals("t.lir:2:5: 'test_interp.repeat': region #0 block argument #0: expected tensor<3xf32>, got"
                + " tensor<2xf32> (dim 0 is 2, expected 3)", e.getMessage());
    }

    @Test
    void regionRunnerIsRefusedAfterItsEvaluateCall() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<2xf32>");
        InterpTestIR.Func f = ir.func("f", List.of("x"), List.of(t), List.of(t));
        Operation leak = f.op(InterpTestDialect.LEAK, List.of(t), Map.of(), 1, f.arg(0));
        InterpTestIR.Func body = f.region(leak, 0);
        body.op(InterpTestDialect.YIELD, List.of(), Map.of(), 0, f.arg(0));
        f.ret(leak.result());
        new Interpreter(ir.module).run("f", List.of(doubles("tensor<2xf32>", 1, 2)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> InterpTestDialect.leaked.run(leak.region(0), List.of()));
        assertTrue(e.getMessage().contains("valid only during the evaluate call"), e.getMessage());
    }

    @Test
    void invalidModuleIsRejectedWithDiagnostics() {
        InterpTestIR ir = new InterpTestIR();
        InterpTestIR.Func f = ir.func("f", List.of("a", "b"), types("tensor<2x3xf32>", "tensor<4x5xf32>"),
                types("tensor<2x5xf32>"));
        f.ret(f.op("nn.matmul", tensor("tensor<2x5xf32>"), f.arg(0), f.arg(1)));
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> new Interpreter(ir.module));
        assertTrue(e.getMessage().startsWith("t.lir:2:5: error: 'nn.matmul' op expects the inner dimensions to agree"),
                e.getMessage());
    }

    @Test
    void malformedResultNamesAreRejected() {
        InterpTestIR ir = new InterpTestIR();
        InterpTestIR.Func f = ir.func("f", List.of("x"), types("tensor<2xf32>"), types("tensor<2xf32>"));
        f.ret(f.arg(0));
        f.fn.setAttr(Signature.RESULT_NAMES, new ArrayAttr(List.of(new StringAttr("y"), new StringAttr("z"))));
        DiagnosticException e = assertThrows(DiagnosticException.class, () -> new Interpreter(ir.module));
        assertEquals("t.lir:1:5: error: 'func.func' op attribute 'result_names' of '@f' must be an array of one"
                + " string per result (1), found [\"y\", \"z\"]", e.getMessage());
    }

    @Test
    void callingADeclarationFailsBeforeAnythingRuns() {
        InterpTestIR ir = new InterpTestIR();
        Type t = tensor("tensor<2xf32>");
        ir.module.body().append(FuncOps.createDeclaration("ext",
                FunctionType.of(List.of(t), List.of(t)), ir.next()));
        InterpTestIR.Func main = ir.func("main", List.of("x"), List.of(t), List.of(t));
        main.ret(main.call("ext", List.of(t), main.op("nn.relu", t, main.arg(0))).result());
        Interpreter interp = new Interpreter(ir.module);
        assertEquals(List.of("main"), interp.functions());
        assertEquals(List.of("arg0"), interp.signature("ext").inputNames());
        assertEquals("t.lir:4:5: 'func.call': calls '@ext', a declaration without a body, which the interpreter"
                + " cannot run", runFails(interp, "main", doubles("tensor<2xf32>", 1, 2)).getMessage());
        assertEquals("t.lir:1:5: 'func.func': '@ext' is a declaration without a body; there is nothing to run",
                runFails(interp, "ext", doubles("tensor<2xf32>", 1, 2)).getMessage());
    }

    @Test
    void unknownFunctionNamesTheFunctionsThereAre() {
        InterpTestIR ir = divide();
        InterpreterException e = assertThrows(InterpreterException.class,
                () -> new Interpreter(ir.module).run("nope", Map.of()));
        assertEquals("no function '@nope' in the module; it has '@divide'", e.getMessage());
    }
}
