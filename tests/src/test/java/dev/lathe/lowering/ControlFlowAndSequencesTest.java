package dev.lathe.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.BoundaryValue;
import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.frontend.IRParser;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.PassFailureException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code nn.loop} and {@code nn.scan} (unrolled by {@code unroll-loops}), and sequences and
 * optionals at the boundary of the CPU backend (specialized to their lengths and presence, then
 * resolved by canonicalization), natively against the interpreter. The bodies here only add,
 * negate and move data; the native code runs the same f32 operations in the same order as the
 * interpreter, so results must be bit-identical (tolerance 0).
 */
class ControlFlowAndSequencesTest {

    private static final TensorType F2 = TensorType.of(ScalarType.F32, 2);

    /** Runs {@code lir} natively (unoptimized and optimized) and through the interpreter; values must match exactly. */
    private static void check(String lir, List<RuntimeValue> inputs) {
        Module module = IRParser.parse(lir, "test.lir");
        Interpreter interp = new Interpreter(module);
        List<RuntimeValue> want = interp.runValues(interp.functions().getFirst(), inputs);
        for (boolean optimize : new boolean[] {false, true}) {
            try (CompiledCpuModel model = CpuBackend.compileValues(module, inputs,
                    CpuBackend.Options.defaults().withThreads(2).withOptimize(optimize))) {
                List<RuntimeValue> got = model.runValues(inputs);
                assertEquals(want.size(), got.size(), "output count");
                for (int i = 0; i < want.size(); i++) {
                    compare("output " + i + (optimize ? " (optimized)" : ""), want.get(i), got.get(i));
                }
            }
        }
    }

    private static void compare(String what, RuntimeValue want, RuntimeValue got) {
        switch (want) {
            case RuntimeValue.TensorValue t -> NativeCheck.compare(what, t.value(),
                    assertInstanceOf(RuntimeValue.TensorValue.class, got, what).value(), 0, 0);
            case RuntimeValue.SequenceValue s -> {
                var g = assertInstanceOf(RuntimeValue.SequenceValue.class, got, what);
                assertEquals(s.elements().size(), g.elements().size(), what + " length");
                for (int i = 0; i < s.elements().size(); i++) {
                    compare(what + " element " + i, s.elements().get(i), g.elements().get(i));
                }
            }
            case RuntimeValue.OptionalValue o -> {
                var g = assertInstanceOf(RuntimeValue.OptionalValue.class, got, what);
                assertEquals(o.isPresent(), g.isPresent(), what + " presence");
                if (o.isPresent()) {
                    compare(what + " value", o.value(), g.value());
                }
            }
        }
    }

    private static RuntimeValue f32(double... v) {
        return RuntimeValue.of(DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, v.length), v));
    }

    private static RuntimeValue scalar(ScalarType t, long v) {
        return RuntimeValue.of(DenseElementsAttr.fromLongs(TensorType.of(t), v));
    }

    /** A loop whose carried value keeps its shape and whose stacked output grows to one row per iteration. */
    private static final String GROWING_LOOP = """
            func.func @main(%m: tensor<i64>, %y0: tensor<2xf32>) -> (tensor<2xf32>, tensor<?x2xf32>) {
              %t = "nn.constant"() {value = dense<true> : tensor<i1>} : () -> tensor<i1>
              %r:2 = "nn.loop"(%m, %t, %y0) ({
              ^bb0(%i: tensor<i64>, %c: tensor<i1>, %yi: tensor<2xf32>):
                %fi = "nn.cast"(%i) {to = f32} : (tensor<i64>) -> tensor<f32>
                %n = "nn.add"(%yi, %fi) : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
                %neg = "nn.neg"(%n) : (tensor<2xf32>) -> tensor<2xf32>
                "nn.yield"(%c, %n, %neg) : (tensor<i1>, tensor<2xf32>, tensor<2xf32>) -> ()
              }) : (tensor<i64>, tensor<i1>, tensor<2xf32>) -> (tensor<2xf32>, tensor<?x2xf32>)
              func.return %r#0, %r#1 : tensor<2xf32>, tensor<?x2xf32>
            }
            """;

    @Test
    void loopWithTripCountFromAnInputIsUnrolled() {
        check(GROWING_LOOP, List.of(scalar(ScalarType.I64, 4), f32(0.5, -1.25)));
    }

    @Test
    void loopThatNeverRunsGivesItsInitialValueAndAnEmptyStack() {
        check(GROWING_LOOP, List.of(scalar(ScalarType.I64, 0), f32(0.5, -1.25)));
    }

    @Test
    void loopBeyondTheUnrollLimitIsAClearError() {
        Module module = IRParser.parse(GROWING_LOOP, "test.lir");
        var e = assertThrows(PassFailureException.class, () -> CpuBackend.compileValues(module,
                List.of(scalar(ScalarType.I64, 65), f32(0, 0)), CpuBackend.Options.defaults().withThreads(1)));
        assertTrue(e.getMessage().contains("runs more than 64 iterations"), e.getMessage());
    }

    @Test
    void scanWithTwoInputsReversedAndOutputOnAxisOne() {
        String lir = """
                func.func @main(%s0: tensor<2xf32>, %x: tensor<3x2xf32>, %w: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
                  %r:2 = "nn.scan"(%s0, %x, %w) ({
                  ^bb0(%s: tensor<2xf32>, %a: tensor<2xf32>, %b: tensor<2xf32>):
                    %p = "nn.add"(%s, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %q = "nn.sub"(%p, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    "nn.yield"(%q, %p) : (tensor<2xf32>, tensor<2xf32>) -> ()
                  }) {num_scan_inputs = 2, scan_input_axes = [0, 1], scan_input_directions = [0, 1], scan_output_axes = [1], scan_output_directions = [1]} : (tensor<2xf32>, tensor<3x2xf32>, tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>)
                  func.return %r#0, %r#1 : tensor<2xf32>, tensor<2x3xf32>
                }
                """;
        check(lir, List.of(f32(1, 2), RuntimeValue.of(NativeCheck.random(TensorType.of(ScalarType.F32, 3, 2), -1, 1, 1)),
                RuntimeValue.of(NativeCheck.random(TensorType.of(ScalarType.F32, 2, 3), -1, 1, 2))));
    }

    @Test
    void sequenceInputIsReadInsertedIntoAndReturned() {
        String lir = """
                func.func @main(%s: !nn.sequence<tensor<?xf32>>, %t: tensor<2xf32>, %p: tensor<i64>) -> (!nn.sequence<tensor<?xf32>>, tensor<2xf32>, tensor<i64>) {
                  %r = "nn.sequence_insert"(%s, %t, %p) : (!nn.sequence<tensor<?xf32>>, tensor<2xf32>, tensor<i64>) -> !nn.sequence<tensor<?xf32>>
                  %e = "nn.sequence_at"(%r, %p) : (!nn.sequence<tensor<?xf32>>, tensor<i64>) -> tensor<?xf32>
                  %sum = "nn.add"(%e, %t) : (tensor<?xf32>, tensor<2xf32>) -> tensor<2xf32>
                  %n = "nn.sequence_length"(%r) : (!nn.sequence<tensor<?xf32>>) -> tensor<i64>
                  func.return %r, %sum, %n : !nn.sequence<tensor<?xf32>>, tensor<2xf32>, tensor<i64>
                }
                """;
        RuntimeValue seq = RuntimeValue.sequence(List.of(f32(1, 2), f32(3, 4)));
        check(lir, List.of(seq, f32(5, 6), scalar(ScalarType.I64, -1)));
        check(lir, List.of(RuntimeValue.sequence(List.of()), f32(5, 6), scalar(ScalarType.I64, 0)));
    }

    @Test
    void sequenceMapRunsOncePerElement() {
        String lir = """
                func.func @main(%s: !nn.sequence<tensor<?xf32>>, %t: tensor<2xf32>) -> !nn.sequence<tensor<?xf32>> {
                  %r = "nn.sequence_map"(%s, %t) ({
                  ^bb0(%e: tensor<?xf32>, %u: tensor<2xf32>):
                    %y = "nn.mul"(%e, %u) : (tensor<?xf32>, tensor<2xf32>) -> tensor<?xf32>
                    "nn.yield"(%y) : (tensor<?xf32>) -> ()
                  }) : (!nn.sequence<tensor<?xf32>>, tensor<2xf32>) -> !nn.sequence<tensor<?xf32>>
                  func.return %r : !nn.sequence<tensor<?xf32>>
                }
                """;
        check(lir, List.of(RuntimeValue.sequence(List.of(f32(1, 2), f32(3, 4), f32(-1, 0.5))), f32(2, -3)));
    }

    @Test
    void optionalInputPresentOrAbsentDecidesTheBranch() {
        String lir = """
                func.func @main(%o: !nn.optional<tensor<2xf32>>, %d: tensor<2xf32>) -> (tensor<2xf32>, !nn.optional<tensor<2xf32>>) {
                  %has = "nn.optional_has_element"(%o) : (!nn.optional<tensor<2xf32>>) -> tensor<i1>
                  %r = "nn.if"(%has) ({
                    %v = "nn.optional_get_element"(%o) : (!nn.optional<tensor<2xf32>>) -> tensor<2xf32>
                    %w = "nn.add"(%v, %d) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    "nn.yield"(%w) : (tensor<2xf32>) -> ()
                  }, {
                    "nn.yield"(%d) : (tensor<2xf32>) -> ()
                  }) : (tensor<i1>) -> tensor<2xf32>
                  func.return %r, %o : tensor<2xf32>, !nn.optional<tensor<2xf32>>
                }
                """;
        check(lir, List.of(RuntimeValue.optional(f32(1, 2)), f32(10, 20)));
        check(lir, List.of(RuntimeValue.optional(null), f32(10, 20)));
    }

    @Test
    void aCallWithAnotherSequenceLengthIsRejected() {
        String lir = """
                func.func @main(%s: !nn.sequence<tensor<2xf32>>) -> !nn.sequence<tensor<2xf32>> {
                  func.return %s : !nn.sequence<tensor<2xf32>>
                }
                """;
        Module module = IRParser.parse(lir, "test.lir");
        RuntimeValue two = RuntimeValue.sequence(List.of(f32(1, 2), f32(3, 4)));
        try (CompiledCpuModel model = CpuBackend.compileValues(module, List.of(two),
                CpuBackend.Options.defaults().withThreads(1))) {
            assertEquals(List.of(new BoundaryValue.Sequence(List.of(new BoundaryValue.Tensor(0),
                    new BoundaryValue.Tensor(1)))), model.inputLayout());
            var e = assertThrows(IllegalArgumentException.class,
                    () -> model.runValues(List.of(RuntimeValue.sequence(List.of(f32(1, 2))))));
            assertTrue(e.getMessage().contains("sequence lengths and optional presence are compiled in"), e.getMessage());
        }
    }
}
