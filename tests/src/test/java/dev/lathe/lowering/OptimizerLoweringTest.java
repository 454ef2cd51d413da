package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.adagrad}, {@code nn.adam}, {@code nn.momentum} natively against the interpreter:
 * two tensors of different shapes (one with a vector remainder), step counts 0 (no bias
 * correction, momentum's factor 1) and 3, every attribute set, nesterov mode. Tolerance
 * rtol 1e-6, atol 1e-7: both compute in double and round once to f32; only libm's {@code pow}
 * against Java's may differ, by an ulp of a double.
 */
class OptimizerLoweringTest {

    @ParameterizedTest(name = "{0} t={1} {2}")
    @CsvSource(delimiter = '|', value = {
        "adagrad | 0 | decay_factor = 0.1 : f32, epsilon = 1.0e-5 : f32, norm_coefficient = 0.01 : f32",
        "adagrad | 3 | decay_factor = 0.1 : f32, epsilon = 1.0e-5 : f32",
        "adam | 0 | alpha = 0.95 : f32, beta = 0.85 : f32, norm_coefficient = 0.001 : f32",
        "adam | 3 | norm_coefficient_post = 0.02 : f32, epsilon = 1.0e-3 : f32",
        "momentum | 0 | alpha = 0.9 : f32, beta = 0.5 : f32, norm_coefficient = 0.01 : f32, mode = \"standard\"",
        "momentum | 3 | alpha = 0.9 : f32, beta = 0.5 : f32, norm_coefficient = 0.01 : f32, mode = \"nesterov\"",
    })
    void matchesInterpreter(String kind, long t, String attrs) {
        int states = kind.equals("adam") ? 2 : 1;
        TensorType[] shapes = {TensorType.of(ScalarType.F32, 3, 5), TensorType.of(ScalarType.F32, 7)};
        List<TensorType> types = new ArrayList<>(List.of(TensorType.of(ScalarType.F32), TensorType.of(ScalarType.I64)));
        List<DenseElementsAttr> inputs = new ArrayList<>(List.of(
                DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32), new double[] {0.1}),
                DenseElementsAttr.fromLongs(TensorType.of(ScalarType.I64), new long[] {t})));
        for (int group = 0; group < 2 + states; group++) {
            for (int i = 0; i < shapes.length; i++) {
                types.add(shapes[i]);
                // States (h) must be non-negative: they are sums of squares.
                inputs.add(NativeCheck.random(shapes[i], group >= 2 ? 0 : -1, 1, 10 * group + i));
            }
        }
        List<TensorType> results = new ArrayList<>();
        for (int group = 0; group < 1 + states; group++) {
            results.addAll(List.of(shapes));
        }
        StringBuilder args = new StringBuilder();
        StringBuilder operands = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            args.append(i == 0 ? "" : ", ").append("%a").append(i).append(": ").append(types.get(i).text());
            operands.append(i == 0 ? "" : ", ").append("%a").append(i);
        }
        String resultTypes = String.join(", ", results.stream().map(TensorType::text).toList());
        StringBuilder rets = new StringBuilder();
        for (int i = 0; i < results.size(); i++) {
            rets.append(i == 0 ? "" : ", ").append("%0#").append(i);
        }
        String lir = "func.func @f(" + args + ") -> (" + resultTypes + ") {\n"
                + "  %0:" + results.size() + " = \"nn." + kind + "\"(" + operands + ") {" + attrs + "} : ("
                + String.join(", ", types.stream().map(TensorType::text).toList()) + ") -> (" + resultTypes + ")\n"
                + "  func.return " + rets + " : " + resultTypes + "\n}\n";
        NativeCheck.check(lir, inputs, 1e-6, 1e-7);
    }
}
