package dev.lathe.ir.interp;

import static dev.lathe.ir.interp.InterpTestIR.doubles;
import static dev.lathe.ir.interp.InterpTestIR.longs;
import static dev.lathe.ir.interp.InterpTestIR.tensor;
import static dev.lathe.ir.interp.InterpTestIR.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputValidationTest {

    /** {@code @mlp(x: tensor<?x4xf32>, w: tensor<4x3xf32>) -> (y: tensor<?x3xf32>)}. */
    private static final Interpreter MLP = mlp();

    private static final DenseElementsAttr X = DenseElementsAttr.splat(tensor("tensor<2x4xf32>"), 1);
    private static final DenseElementsAttr W = DenseElementsAttr.splat(tensor("tensor<4x3xf32>"), 0.5);

    private static Interpreter mlp() {
        InterpTestIR ir = new InterpTestIR();
        InterpTestIR.Func f = ir.func("mlp", List.of("x", "w"), types("tensor<?x4xf32>", "tensor<4x3xf32>"),
                types("tensor<?x3xf32>"));
        Type out = tensor("tensor<?x3xf32>");
        f.ret(f.op("nn.matmul", out, f.arg(0), f.arg(1)));
        Signature.setResultNames(f.fn, List.of("y"));
        return new Interpreter(ir.module);
    }

    private static List<String> problems(Map<String, DenseElementsAttr> inputs) {
        return assertThrows(InvalidInputException.class, () -> MLP.run("mlp", inputs)).problems();
    }

    @Test
    void acceptsAnySizeForDynamicDimensions() {
        for (int rows : new int[] {0, 1, 7}) {
            DenseElementsAttr x = DenseElementsAttr.splat(tensor("tensor<" + rows + "x4xf32>"), 1);
            DenseElementsAttr y = MLP.run("mlp", Map.of("x", x, "w", W)).get("y");
            assertEquals(tensor("tensor<" + rows + "x3xf32>"), y.type());
        }
    }

    @Test
    void reportsMissingInput() {
        assertEquals(List.of("missing input 'w': expected tensor<4x3xf32>"), problems(Map.of("x", X)));
    }

    @Test
    void reportsUnknownInput() {
        assertEquals(List.of("unknown input 'z'; '@mlp' takes 'x', 'w'"), problems(Map.of("x", X, "w", W, "z", X)));
    }

    @Test
    void reportsWrongElementType() {
        DenseElementsAttr x = longs("tensor<1x4xi32>", 1, 2, 3, 4);
        assertEquals(List.of("input 'x': expected tensor<?x4xf32>, got tensor<1x4xi32>"
                + " (element type i32, expected f32)"), problems(Map.of("x", x, "w", W)));
    }

    @Test
    void reportsWrongRank() {
        DenseElementsAttr x = doubles("tensor<4xf32>", 1, 2, 3, 4);
        assertEquals(List.of("input 'x': expected tensor<?x4xf32>, got tensor<4xf32> (rank 1, expected 2)"),
                problems(Map.of("x", x, "w", W)));
    }

    @Test
    void reportsWrongStaticDimension() {
        DenseElementsAttr x = DenseElementsAttr.splat(tensor("tensor<2x5xf32>"), 1);
        assertEquals(List.of("input 'x': expected tensor<?x4xf32>, got tensor<2x5xf32> (dim 1 is 5, expected 4)"),
                problems(Map.of("x", x, "w", W)));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Map<String, DenseElementsAttr> inputs = new HashMap<>();
        inputs.put("x", null);
        inputs.put("b", X);
        inputs.put("a", X);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MLP.run("mlp", inputs));
        assertEquals(List.of("input 'x' is null: expected tensor<?x4xf32>",
                "missing input 'w': expected tensor<4x3xf32>",
                "unknown input 'a'; '@mlp' takes 'x', 'w'",
                "unknown input 'b'; '@mlp' takes 'x', 'w'"), e.problems());
        assertEquals(String.join("\n", e.problems()), e.getMessage());
    }

    @Test
    void checksPositionalInputs() {
        InvalidInputException count = assertThrows(InvalidInputException.class, () -> MLP.run("mlp", List.of(X)));
        assertEquals("'@mlp' takes 2 inputs (x: tensor<?x4xf32>, w: tensor<4x3xf32>), got 1", count.getMessage());
        InvalidInputException swapped = assertThrows(InvalidInputException.class, () -> MLP.run("mlp", List.of(W, X)));
        assertEquals(List.of("input 'x': expected tensor<?x4xf32>, got tensor<4x3xf32> (dim 1 is 3, expected 4)",
                "input 'w': expected tensor<4x3xf32>, got tensor<2x4xf32>"
                        + " (dim 0 is 2, expected 4; dim 1 is 4, expected 3)"),
                swapped.problems());
    }
}
