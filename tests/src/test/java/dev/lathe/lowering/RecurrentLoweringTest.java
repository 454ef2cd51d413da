package dev.lathe.lowering;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nn.rnn}, {@code nn.gru}, {@code nn.lstm} natively against the interpreter, every result
 * ({@code y}, {@code y_h}, {@code y_c}): each direction, sequence lengths including 0 and past the
 * sequence, clip, linear_before_reset, input_forget, peepholes, activations with alpha/beta, a
 * hidden size with vector remainders (11) and Silero VAD's LSTM shape (128 x 128, one step).
 * Tolerance rtol 1e-6, atol 1e-7: both compute in double and round once to f32; only the
 * summation order and libm against Java's Math differ (far below one f32 ulp before rounding).
 */
class RecurrentLoweringTest {

    @ParameterizedTest(name = "{0} {1} seq={2} batch={3} in={4} hidden={5} {7}")
    @CsvSource(delimiter = '|', value = {
        "lstm | bidirectional | 5 | 4 | 7 | 11 | 5,0,9,2 | clip = 2.5 : f32",
        "lstm | forward | 1 | 1 | 128 | 128 | | ",
        "lstm | reverse | 4 | 3 | 5 | 6 | 3,4,1 | input_forget = true",
        "lstm | forward | 3 | 2 | 4 | 5 | | activations=hard_sigmoid:0.3:0.4,scaled_tanh:1.5:0.7,softsign:0:0",
        "gru | bidirectional | 4 | 3 | 5 | 9 | 2,4,0 | linear_before_reset = true",
        "gru | reverse | 6 | 2 | 3 | 4 | | clip = 0.5 : f32",
        "gru | forward | 3 | 2 | 4 | 6 | 1,3 | activations=leaky_relu:0.2:0,elu:1.3:0",
        "rnn | bidirectional | 4 | 2 | 3 | 5 | 4,2 | activations=relu:0:0,affine:0.5:0.1",
        "rnn | reverse | 3 | 3 | 2 | 17 | 3,1,2 | activations=softplus:0:0",
        "rnn | forward | 3 | 2 | 3 | 4 | | activations=thresholded_relu:0.1:0",
    })
    void matchesInterpreter(String kind, String direction, int seq, int batch, int input, int hidden, String lens,
            String extra) {
        int gates = switch (kind) {
            case "lstm" -> 4;
            case "gru" -> 3;
            default -> 1;
        };
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        List<String> acts = defaultActivations(kind);
        String attrs = "";
        if (extra != null && extra.startsWith("activations=")) {
            acts = List.of(extra.substring("activations=".length()).split(","));
        } else if (extra != null) {
            attrs = ", " + extra;
        }
        List<String> names = new ArrayList<>();
        List<String> alphas = new ArrayList<>();
        List<String> betas = new ArrayList<>();
        // A list of one direction's activations is repeated for each; a longer one lists all.
        int repeat = acts.size() == defaultActivations(kind).size() ? dirs : 1;
        for (int d = 0; d < repeat; d++) {
            for (String a : acts) {
                String[] p = a.split(":");
                names.add("\"" + p[0] + "\"");
                alphas.add(Double.parseDouble(p.length > 1 ? p[1] : "0") + " : f32");
                betas.add(Double.parseDouble(p.length > 2 ? p[2] : "0") + " : f32");
            }
        }
        TensorType x = f32(seq, batch, input);
        TensorType w = f32(dirs, gates * hidden, input);
        TensorType r = f32(dirs, gates * hidden, hidden);
        TensorType b = f32(dirs, 2 * gates * hidden);
        TensorType state = f32(dirs, batch, hidden);
        TensorType p = f32(dirs, 3 * hidden);
        List<TensorType> types = new ArrayList<>(List.of(x, w, r, b, state));
        if (kind.equals("lstm")) {
            types.add(state);
            types.add(p);
        }
        List<DenseElementsAttr> inputs = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            inputs.add(NativeCheck.random(types.get(i), -1, 1, 31 * i + hidden));
        }
        if (lens != null) {
            TensorType lt = TensorType.of(ScalarType.I32, batch);
            types.add(lt);
            inputs.add(DenseElementsAttr.fromLongs(lt,
                    java.util.Arrays.stream(lens.split(",")).mapToLong(Long::parseLong).toArray()));
        }
        List<TensorType> results = new ArrayList<>(List.of(f32(seq, dirs, batch, hidden), state));
        if (kind.equals("lstm")) {
            results.add(state);
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
                + "  %0:" + results.size() + " = \"nn." + kind + "\"(" + operands + ") {activation_alpha = " + alphas
                + ", activation_beta = " + betas + ", activations = [" + String.join(", ", names) + "], direction = \""
                + direction + "\", hidden_size = " + hidden + attrs + "} : ("
                + String.join(", ", types.stream().map(TensorType::text).toList()) + ") -> (" + resultTypes + ")\n"
                + "  func.return " + rets + " : " + resultTypes + "\n}\n";
        NativeCheck.check(lir, inputs, 1e-6, 1e-7);
    }

    private static List<String> defaultActivations(String kind) {
        return switch (kind) {
            case "lstm" -> List.of("sigmoid", "tanh", "tanh");
            case "gru" -> List.of("sigmoid", "tanh");
            default -> Collections.singletonList("tanh");
        };
    }

    private static TensorType f32(long... shape) {
        return TensorType.of(ScalarType.F32, shape);
    }
}
