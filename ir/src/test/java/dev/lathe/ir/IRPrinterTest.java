package dev.lathe.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IRPrinterTest {

    static final TensorType T = TensorType.of(ScalarType.F32, 2);

    @Test
    void topLevelValuesShareOneScopeAndFunctionsStartFresh() {
        Module m = Module.create();
        Operation a = Operation.create("test.a", List.of(), List.of(T), Map.of(), Location.UNKNOWN);
        Operation b = Operation.create("test.b", List.of(a.result()), List.of(T), Map.of(), Location.UNKNOWN);
        m.body().append(a);
        m.body().append(b);
        Operation fn = FuncOps.createFunc("f", FunctionType.of(List.of(T), List.of(T)), Location.UNKNOWN);
        Operation relu = Operation.create("nn.relu", List.of(FuncOps.body(fn).argument(0)), List.of(T), Map.of(),
                Location.UNKNOWN);
        FuncOps.body(fn).append(relu);
        FuncOps.body(fn).append(FuncOps.createReturn(List.of(relu.result()), Location.UNKNOWN));
        m.body().append(fn);
        assertEquals("""
                module {
                  %0 = "test.a"() : () -> tensor<2xf32>
                  %1 = "test.b"(%0) : (tensor<2xf32>) -> tensor<2xf32>
                  func.func @f(%arg0: tensor<2xf32>) -> tensor<2xf32> {
                    %0 = "nn.relu"(%arg0) : (tensor<2xf32>) -> tensor<2xf32>
                    func.return %0 : tensor<2xf32>
                  }
                }
                """, IRPrinter.print(m));
    }

    @Test
    void funcOpsThatDoNotFitTheirCustomFormPrintGenerically() {
        Module m = Module.create();
        Operation fn = FuncOps.createFunc("f", FunctionType.of(List.of(T), List.of()), Location.UNKNOWN);
        Operation call = FuncOps.createCall("f", List.of(FuncOps.body(fn).argument(0)), List.of(), Location.UNKNOWN);
        call.setAttr("note", new StringAttr("kept"));
        FuncOps.body(fn).append(call);
        FuncOps.body(fn).append(FuncOps.createReturn(List.of(), Location.UNKNOWN));
        m.body().append(fn);
        String text = IRPrinter.print(m);
        assertTrue(text.contains("\"func.call\"(%arg0) {callee = @f, note = \"kept\"} : (tensor<2xf32>) -> ()"), text);
    }

    @Test
    void locationsPrintWhenAsked() {
        Module m = Module.create();
        m.body().append(Operation.create("test.a", List.of(), List.of(T), Map.of(), Location.name("node/1")));
        String text = IRPrinter.print(m, new IRPrinter.Options(true));
        assertTrue(text.contains("%0 = \"test.a\"() : () -> tensor<2xf32> loc(\"node/1\")"), text);
    }
}
