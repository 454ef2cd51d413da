package dev.lathe.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules the parser cannot produce violations of, so they are tested on built IR. */
class VerifierTest {

    static final TensorType T = TensorType.of(ScalarType.F32, 2);

    private static Operation function(Module m) {
        Operation fn = FuncOps.createFunc("f", FunctionType.of(List.of(T), List.of(T)), Location.of("t.lir", 1, 1));
        m.body().append(fn);
        return fn;
    }

    @Test
    void useBeforeDefinitionIsReportedAtTheUser() {
        Module m = Module.create();
        Operation fn = function(m);
        Block body = FuncOps.body(fn);
        Operation def = Operation.create("nn.relu", List.of(body.argument(0)), List.of(T), Map.of(), Location.of("t.lir", 3, 5));
        Operation use = Operation.create("nn.relu", List.of(def.result()), List.of(T), Map.of(), Location.of("t.lir", 2, 5));
        body.append(use);
        body.append(def);
        body.append(FuncOps.createReturn(List.of(def.result()), Location.of("t.lir", 4, 5)));
        List<Diagnostic> ds = Verifier.verify(m, false);
        assertEquals(1, ds.size(), ds.toString());
        assertTrue(ds.get(0).toString().startsWith("t.lir:2:5: error: 'nn.relu' op operand #0 uses result #0 of 'nn.relu'"),
                ds.get(0).toString());
        assertTrue(ds.get(0).message().endsWith("before it is defined"), ds.get(0).message());
    }

    @Test
    void valueFromAnotherFunctionIsNotVisible() {
        Module m = Module.create();
        Operation f = function(m);
        Operation g = FuncOps.createFunc("g", FunctionType.of(List.of(T), List.of(T)), Location.of("t.lir", 9, 1));
        m.body().append(g);
        FuncOps.body(f).append(FuncOps.createReturn(List.of(FuncOps.body(f).argument(0)), Location.UNKNOWN));
        FuncOps.body(g).append(FuncOps.createReturn(List.of(FuncOps.body(f).argument(0)), Location.of("t.lir", 10, 3)));
        List<Diagnostic> ds = Verifier.verify(m, false);
        assertTrue(ds.stream().anyMatch(d -> d.toString().startsWith("t.lir:10:3: error: 'func.return' op operand #0 uses")
                && d.message().contains("not visible")), ds.toString());
    }

    @Test
    void erasedDefinitionIsReported() {
        Module m = Module.create();
        Operation fn = function(m);
        Block body = FuncOps.body(fn);
        Operation detached = Operation.create("nn.relu", List.of(body.argument(0)), List.of(T), Map.of(), Location.UNKNOWN);
        body.append(FuncOps.createReturn(List.of(detached.result()), Location.of("t.lir", 5, 3)));
        List<Diagnostic> ds = Verifier.verify(m, false);
        assertTrue(ds.get(0).message().contains("erased or never inserted"), ds.toString());
    }

    @Test
    void functionMayNotUseValuesFromOutsideIt() {
        Module m = Module.create();
        Operation outside = Operation.create("test.def", List.of(), List.of(T), Map.of(), Location.UNKNOWN);
        m.body().append(outside);
        Operation fn = function(m);
        FuncOps.body(fn).append(FuncOps.createReturn(List.of(outside.result()), Location.of("t.lir", 7, 3)));
        List<Diagnostic> ds = Verifier.verify(m, true);
        assertEquals(1, ds.size(), ds.toString());
        assertTrue(ds.get(0).message().endsWith("defined outside its isolated parent 'func.func'"), ds.toString());
    }

    @Test
    void resourcesMustExistAndHoldTheirElements() {
        Module m = Module.create();
        Operation fn = function(m);
        TensorType two = TensorType.of(ScalarType.F32, 2);
        Operation missing = Operation.create("test.c", List.of(), List.of(two),
                Map.of("value", new dev.lathe.ir.attr.DenseResourceAttr("w", two)), Location.of("t.lir", 2, 3));
        Operation shortBlob = Operation.create("test.c", List.of(), List.of(two),
                Map.of("value", new dev.lathe.ir.attr.DenseResourceAttr("s", two)), Location.of("t.lir", 3, 3));
        m.putResource("s", new ResourceBlob(new byte[4], 4));
        FuncOps.body(fn).append(missing);
        FuncOps.body(fn).append(shortBlob);
        FuncOps.body(fn).append(FuncOps.createReturn(List.of(FuncOps.body(fn).argument(0)), Location.UNKNOWN));
        List<String> ds = Verifier.verify(m, true).stream().map(Diagnostic::toString).toList();
        assertEquals(List.of("t.lir:2:3: error: 'test.c' op refers to resource 'w' that the module does not define",
                "t.lir:3:3: error: 'test.c' op refers to resource 's' of 4 bytes, but tensor<2xf32> needs 8"), ds);
    }

    @Test
    void validFunctionHasNoDiagnostics() {
        Module m = Module.create();
        Operation fn = function(m);
        Block body = FuncOps.body(fn);
        Operation relu = Operation.create("nn.relu", List.of(body.argument(0)), List.of(T), Map.of(), Location.UNKNOWN);
        body.append(relu);
        body.append(FuncOps.createReturn(List.of(relu.result()), Location.UNKNOWN));
        assertEquals(List.of(), Verifier.verify(m, false));
    }
}
