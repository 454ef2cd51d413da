package dev.lathe.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Block;
import dev.lathe.ir.BlockArgument;
import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The MLP example from the design: parsed into the ops, values, types and attributes it spells. */
class ParseExampleTest {

    static final String MLP = """
            module {
              func.func @mlp(%x: tensor<?x4xf32>, %w: tensor<4x3xf32>) -> tensor<?x3xf32> {
                %c = "nn.constant"() {value = dense<[0.5, -1.0, 2.0]> : tensor<3xf32>} : () -> tensor<3xf32>
                %0 = "nn.matmul"(%x, %w) : (tensor<?x4xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
                %1 = "nn.add"(%0, %c) : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
                %2 = "nn.relu"(%1) : (tensor<?x3xf32>) -> tensor<?x3xf32>
                %3 = "test.region_op"(%2) ({
                ^bb0(%a: f32, %b: i64):
                  "test.yield"(%a) : (f32) -> ()
                }) {axes = [0, 1], eps = 1.0e-05 : f32, flag = true, mode = "x"} : (tensor<?x3xf32>) -> tensor<?x3xf32>
                func.return %3 : tensor<?x3xf32>
              }
            }
            """;

    @Test
    void buildsTheOpsValuesAndAttributesOfTheMlpExample() {
        Module m = IRParser.parse(MLP, "mlp.lir");
        List<Operation> fns = m.functions();
        assertEquals(1, fns.size());
        Operation fn = fns.get(0);
        assertEquals("mlp", FuncOps.name(fn));
        TensorType x = TensorType.of(ScalarType.F32, TensorType.DYNAMIC, 4);
        TensorType w = TensorType.of(ScalarType.F32, 4, 3);
        TensorType y = TensorType.of(ScalarType.F32, TensorType.DYNAMIC, 3);
        assertSame(FunctionType.of(List.of(x, w), List.of(y)), FuncOps.type(fn));

        Block body = FuncOps.body(fn);
        assertEquals("x", body.argument(0).nameHint());
        List<Operation> ops = body.operations();
        assertEquals(List.of("nn.constant", "nn.matmul", "nn.add", "nn.relu", "test.region_op", "func.return"),
                ops.stream().map(Operation::name).toList());

        DenseElementsAttr c = (DenseElementsAttr) ops.get(0).attr("value");
        assertEquals(List.of(0.5, -1.0, 2.0), List.of(c.getDouble(0), c.getDouble(1), c.getDouble(2)));
        assertSame(body.argument(0), ops.get(1).operand(0));
        assertSame(ops.get(0).result(), ops.get(2).operand(1));
        assertEquals("c", ops.get(0).result().nameHint());

        Operation regionOp = ops.get(4);
        assertEquals(ArrayAttr.ofLongs(0, 1), regionOp.attr("axes"));
        assertEquals(new FloatAttr(1.0e-05, ScalarType.F32), regionOp.attr("eps"));
        assertEquals(BoolAttr.TRUE, regionOp.attr("flag"));
        assertEquals(new StringAttr("x"), regionOp.attr("mode"));
        Block inner = regionOp.region(0).entryBlock();
        BlockArgument a = inner.argument(0);
        assertEquals("a", a.nameHint());
        assertSame(ScalarType.I64, inner.argument(1).type());
        assertSame(a, inner.first().operand(0));
        assertEquals(0, inner.first().numResults());
        assertSame(regionOp.result(), ops.get(5).operand(0));

        assertEquals(Location.of("mlp.lir", 3, 5), ops.get(0).location());
        assertEquals(Location.of("mlp.lir", 2, 3), fn.location());
        assertEquals(Location.of("mlp.lir", 1, 1), m.location());
    }

    @Test
    void printsTheExampleBackInCanonicalForm() {
        String printed = IRPrinter.print(IRParser.parse(MLP, "mlp.lir"));
        String expected = MLP.replace("1.0e-05", "1.0e-5");
        assertEquals(expected, printed);
    }

    @Test
    void wrapsBareTopLevelOpsInAModule() {
        Module m = IRParser.parse("""
                // no module wrapper, as MLIR allows
                func.func @f(%a: f32) -> f32 {
                  func.return %a : f32
                }
                func.func @g(f32) -> f32
                """, "bare.lir");
        assertEquals(2, m.functions().size());
        assertTrue(FuncOps.isDeclaration(m.functions().get(1)));
        assertFalse(FuncOps.isDeclaration(m.functions().get(0)));
        assertNull(m.resource("w"));
    }

    @Test
    void parsesAnEmptyFileAsAnEmptyModule() {
        Module m = IRParser.parse("// nothing here\n", "empty.lir");
        assertTrue(m.body().isEmpty());
        assertEquals("module {\n}\n", IRPrinter.print(m));
    }
}
