package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.PassContext;
import dev.lathe.passes.PassManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code lower-to-loops} emits identical kernels once (FunctionLowering's kernel sharing): layers
 * that differ only in their weights call the same functions with different weight arguments, and
 * still compute with their own weights. Tolerance rtol 1e-5, atol 1e-6: f32 dot products of 8
 * terms, summed in another order than the interpreter's.
 */
class KernelSharingTest {

    private static final TensorType X = TensorType.of(ScalarType.F32, 4, 8);

    /** {@code layers} layers of matmul by an 8x8 constant, add of an 8-vector constant, relu. */
    private static String layers(int layers) {
        StringBuilder s = new StringBuilder("func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {\n");
        String in = "%x";
        for (int l = 0; l < layers; l++) {
            DenseElementsAttr w = NativeCheck.random(TensorType.of(ScalarType.F32, 8, 8), -1, 1, 10 + l);
            DenseElementsAttr b = NativeCheck.random(TensorType.of(ScalarType.F32, 8), -1, 1, 20 + l);
            s.append("  %w").append(l).append(" = \"nn.constant\"() {value = ").append(w.text())
                    .append("} : () -> tensor<8x8xf32>\n");
            s.append("  %b").append(l).append(" = \"nn.constant\"() {value = ").append(b.text())
                    .append("} : () -> tensor<8xf32>\n");
            s.append("  %m").append(l).append(" = \"nn.matmul\"(").append(in).append(", %w").append(l)
                    .append(") : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>\n");
            s.append("  %a").append(l).append(" = \"nn.add\"(%m").append(l).append(", %b").append(l)
                    .append(") : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>\n");
            s.append("  %r").append(l).append(" = \"nn.relu\"(%a").append(l)
                    .append(") : (tensor<4x8xf32>) -> tensor<4x8xf32>\n");
            in = "%r" + l;
        }
        return s.append("  func.return ").append(in).append(" : tensor<4x8xf32>\n}\n").toString();
    }

    @Test
    void repeatedLayersCallOneKernelPerOp() {
        Module module = IRParser.parse(layers(3), "layers.lir");
        PassManager.Result result = PassManager.parse("lower-to-loops").disableCrashReproducer().run(module);
        Map<String, Long> counters = result.passes().getFirst().counters();
        assertEquals(9, counters.get("kernels"));
        assertEquals(6, counters.get("kernels-shared"));
        List<Operation> functions = module.functions();
        assertEquals(4, functions.size(), "@main and one kernel per op of a layer");
        Operation main = functions.stream().filter(f -> FuncOps.name(f).equals("main")).findFirst().orElseThrow();
        long calls = FuncOps.body(main).operations().stream().filter(op -> op.isA(FuncOps.CALL)).count();
        assertEquals(9, calls);
    }

    @Test
    void sharedKernelsComputeWithEachLayersWeights() {
        NativeCheck.check(layers(3), List.of(NativeCheck.random(X, -1, 1, 1)), 1e-5, 1e-6);
    }

    @Test
    void kernelsOfDifferentShapesAreNotShared() {
        String lir = """
                func.func @f(%x: tensor<4x8xf32>, %y: tensor<4x9xf32>) -> (tensor<4x8xf32>, tensor<4x9xf32>) {
                  %0 = "nn.relu"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
                  %1 = "nn.relu"(%y) : (tensor<4x9xf32>) -> tensor<4x9xf32>
                  func.return %0, %1 : tensor<4x8xf32>, tensor<4x9xf32>
                }
                """;
        Module module = IRParser.parse(lir, "shapes.lir");
        PassContext lowering = PassManager.parse("lower-to-loops").disableCrashReproducer().run(module).passes().getFirst();
        assertEquals(0, lowering.counters().get("kernels-shared"));
        NativeCheck.check(lir, List.of(NativeCheck.random(X, -1, 1, 1),
                NativeCheck.random(TensorType.of(ScalarType.F32, 4, 9), -1, 1, 2)), 0, 0);
    }
}
