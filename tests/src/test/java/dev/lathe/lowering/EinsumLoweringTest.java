package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.EinsumOp;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.einsum} natively against the interpreter: batch matmul, transposes, diagonals,
 * sums, outer and inner products, broadcast ellipses, the implicit output, three operands and
 * integer wrapping. Tolerance: floats rtol 1e-6, atol 1e-7 (both accumulate in double and round
 * once to f32; only the order of a few additions could differ, and here it does not); i32 exactly.
 */
class EinsumLoweringTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "bij,bjk->bik | 5x2x3, 5x3x4 | f32",
        "ij->ji | 3x7 | f32",
        "bii->bi | 2x4x4 | f32",
        "ii | 5x5 | f32",
        "ij->i | 3x9 | f32",
        "i,i | 17, 17 | f32",
        "i,j->ij | 3, 4 | f32",
        "...ij,...jk->...ik | 2x1x3x4, 5x4x2 | f32",
        "ij,jk,kl->il | 2x3, 3x4, 4x5 | f32",
        "ij,jk | 3x4, 4x2 | f64",
        "bij,bjk->bik | 2x3x4, 2x4x2 | i32",
    })
    void matchesInterpreter(String equation, String shapes, String type) {
        ScalarType et = ScalarType.valueOf(type.toUpperCase());
        List<TensorType> types = new ArrayList<>();
        for (String s : shapes.split(",")) {
            long[] dims = java.util.Arrays.stream(s.trim().split("x")).mapToLong(Long::parseLong).toArray();
            types.add(TensorType.of(et, dims));
        }
        List<DenseElementsAttr> inputs = new ArrayList<>();
        StringBuilder args = new StringBuilder();
        StringBuilder operands = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            // i32 from a wide range so the products and sums wrap.
            inputs.add(et.isFloat() ? NativeCheck.random(types.get(i), -1, 1, 7 + i)
                    : NativeCheck.random(types.get(i), -2e9, 2e9, 7 + i));
            args.append(i == 0 ? "" : ", ").append("%a").append(i).append(": ").append(types.get(i).text());
            operands.append(i == 0 ? "" : ", ").append("%a").append(i);
        }
        String argTypes = String.join(", ", types.stream().map(TensorType::text).toList());
        // The result type from the op's own shape inference.
        TensorType result = (TensorType) new EinsumOp().inferResultTypes(new ArrayList<Type>(types), Map.of("equation", new StringAttr(equation))).getFirst();
        String lir = "func.func @f(" + args + ") -> " + result.text() + " {\n"
                + "  %0 = \"nn.einsum\"(" + operands + ") {equation = \"" + equation + "\"} : (" + argTypes + ") -> "
                + result.text() + "\n  func.return %0 : " + result.text() + "\n}\n";
        NativeCheck.check(lir, inputs, 1e-6, 1e-7);
    }
}
