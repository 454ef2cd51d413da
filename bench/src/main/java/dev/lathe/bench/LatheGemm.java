package dev.lathe.bench;

import dev.lathe.ir.Block;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.ConstantOp;
import dev.lathe.ir.dialect.nn.MatmulOp;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.List;
import java.util.Map;

/**
 * The {@code nn} function the sgemm benchmark compiles: {@code c = nn.matmul(a, B)} with
 * {@code a: f32[M, K]} an input and {@code B: f32[K, N]} an {@code nn.constant} (a weight, as in
 * a model's linear layer), so the compiler may pack B at compile time as ORT does with constant
 * weights.
 *
 * <pre>
 * func.func @gemm(%a: tensor&lt;MxKxf32&gt;) -&gt; tensor&lt;MxNxf32&gt; {
 *   %b = "nn.constant"() {value = dense&lt;...&gt; : tensor&lt;KxNxf32&gt;}
 *   %c = "nn.matmul"(%a, %b)
 *   func.return %c
 * }
 * </pre>
 */
public final class LatheGemm {

    private LatheGemm() {}

    public static Module module(int m, int n, int k, DenseElementsAttr b) {
        TensorType aType = TensorType.of(ScalarType.F32, m, k);
        TensorType cType = TensorType.of(ScalarType.F32, m, n);
        if (!b.type().equals(TensorType.of(ScalarType.F32, k, n))) {
            throw new IllegalArgumentException("B must be f32[" + k + ", " + n + "], got " + b.type().text());
        }
        Module module = Module.create(Location.UNKNOWN);
        Operation fn = FuncOps.createFunc("gemm", FunctionType.of(List.of(aType), List.of(cType)), Location.UNKNOWN);
        Block body = FuncOps.body(fn);
        body.argument(0).setNameHint("a");
        Operation constant = Operation.create(ConstantOp.NAME, List.of(), List.of(b.type()),
                Map.<String, Attribute>of("value", b), Location.UNKNOWN);
        Operation matmul = Operation.create(MatmulOp.NAME, List.of(body.argument(0), constant.result()), List.of(cType),
                Map.of(), Location.UNKNOWN);
        body.append(constant);
        body.append(matmul);
        body.append(FuncOps.createReturn(List.of(matmul.result()), Location.UNKNOWN));
        Signature.setResultNames(fn, List.of("c"));
        module.body().append(fn);
        return module;
    }
}
