package dev.lathe.passes.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Verifier;
import dev.lathe.passes.OpCrashException;
import dev.lathe.passes.testing.IRTesting;
import dev.lathe.passes.testing.TestDialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GreedyPatternDriverTest {

    @BeforeAll
    static void registerDialect() {
        TestDialect.register();
    }

    /** {@code neg(neg(x))} to {@code x}. */
    static final class NegNeg extends RewritePattern {
        @Override
        public String rootOpName() {
            return "tst.neg";
        }

        @Override
        public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
            if (op.operand(0) instanceof OpResult r && r.owner().isA("tst.neg")) {
                rewriter.replaceOp(op, r.owner().operand(0));
                return true;
            }
            return rewriter.notifyMatchFailure(op, "operand is not a negation");
        }
    }

    /** Replaces {@code from(x)} by {@code to(x)}; two of these in opposite directions never settle. */
    static final class Rename extends RewritePattern {
        private final String from;
        private final String to;
        private final int benefit;
        private final List<String> log;

        Rename(String from, String to, int benefit, List<String> log) {
            this.from = from;
            this.to = to;
            this.benefit = benefit;
            this.log = log;
        }

        @Override
        public String rootOpName() {
            return from;
        }

        @Override
        public int benefit() {
            return benefit;
        }

        @Override
        public String name() {
            return "Rename(" + from + "->" + to + ")";
        }

        @Override
        public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
            log.add(name());
            Operation created = rewriter.create(to, op.operands(), op.resultTypes(), Map.of(), op.location());
            rewriter.replaceOp(op, created.result());
            return true;
        }
    }

    private static final String NEGATIONS = """
            module {
              func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
                %0 = "tst.neg"(%x) : (tensor<2xf32>) -> tensor<2xf32>
                %1 = "tst.neg"(%0) : (tensor<2xf32>) -> tensor<2xf32>
                %2 = "tst.neg"(%1) : (tensor<2xf32>) -> tensor<2xf32>
                %3 = "tst.neg"(%2) : (tensor<2xf32>) -> tensor<2xf32>
                "tst.effect"(%3) : (tensor<2xf32>) -> ()
                func.return %3 : tensor<2xf32>
              }
            }
            """;

    private static GreedyPatternDriver driver(List<? extends RewritePattern> patterns) {
        return new GreedyPatternDriver(patterns, GreedyPatternDriver.Config.DEFAULT.withMaterializer(TestDialect.MATERIALIZER));
    }

    @Test
    void reachesFixedPointAndErasesDeadOps() {
        Module m = IRTesting.parse(NEGATIONS);
        var result = driver(List.of(new NegNeg())).run(m.op());
        assertTrue(result.converged());
        assertTrue(result.changed());
        assertEquals(2L, result.patternsApplied().get("NegNeg"));
        String out = IRPrinter.print(m);
        assertFalse(out.contains("tst.neg"), out);
        assertTrue(out.contains("\"tst.effect\"(%x)"), out);
        assertTrue(out.contains("func.return %x"), out);
        assertEquals(List.of(), Verifier.verify(m, false));
        assertFalse(driver(List.of(new NegNeg())).run(m.op()).changed(), "a second run finds nothing to do");
    }

    @Test
    void triesHigherBenefitFirstRegardlessOfRegistrationOrder() {
        Module m = IRTesting.parse(NEGATIONS);
        List<String> log = new ArrayList<>();
        var low = new Rename("tst.neg", "tst.a", 1, log);
        var high = new Rename("tst.neg", "tst.b", 5, log);
        var result = driver(List.of(low, high)).run(m.op());
        assertTrue(result.converged());
        assertEquals(4L, result.patternsApplied().get(high.name()));
        assertFalse(result.patternsApplied().containsKey(low.name()));
        assertTrue(IRPrinter.print(m).contains("tst.b"));
    }

    @Test
    void reportsPatternsThatNeverSettle() {
        Module m = IRTesting.parse(NEGATIONS.replace("tst.neg", "tst.a"));
        List<String> log = new ArrayList<>();
        var result = driver(List.of(new Rename("tst.a", "tst.b", 1, log), new Rename("tst.b", "tst.a", 1, log))).run(m.op());
        assertFalse(result.converged());
        assertTrue(result.failure().contains("Rename(tst.a->tst.b)"), result.failure());
        assertTrue(result.failure().contains("Rename(tst.b->tst.a)"), result.failure());
        assertEquals(List.of(), Verifier.verify(m, false), "the IR stays valid when the driver gives up");
    }

    @Test
    void reportsAPatternThatClaimsChangesItDidNotMake() {
        Module m = IRTesting.parse(NEGATIONS);
        RewritePattern liar = new RewritePattern() {
            @Override
            public String name() {
                return "Liar";
            }

            @Override
            public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
                return op.isA("tst.effect");
            }
        };
        var config = GreedyPatternDriver.Config.DEFAULT.withMaxIterations(3);
        var result = new GreedyPatternDriver(List.of(liar), config).run(m.op());
        assertFalse(result.converged());
        assertEquals(3, result.iterations());
        assertTrue(result.failure().contains("within 3 iterations") && result.failure().contains("Liar"), result.failure());
    }

    @Test
    void foldsThroughConstantsAndReusesEqualOnes() {
        Module m = IRTesting.parse("""
                module {
                  func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
                    %a = "tst.const"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %b = "tst.const"() {value = dense<2.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %z = "tst.const"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %0 = "tst.add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %1 = "tst.add"(%0, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %2 = "tst.add"(%b, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %3 = "tst.add"(%x, %z) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    func.return %1, %2, %3 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
                  }
                }
                """);
        var result = driver(List.of()).run(m.op());
        assertTrue(result.converged());
        assertEquals(4, result.opsFolded());
        String out = IRPrinter.print(m);
        assertFalse(out.contains("tst.add"), out);
        assertTrue(out.contains("dense<4.0>"), out);
        assertEquals(1, out.split("dense<3.0>", -1).length - 1, "the second 3.0 reuses the first:\n" + out);
        assertFalse(out.contains("dense<1.0>") || out.contains("dense<0.0>"), "unused constants are erased:\n" + out);
        assertTrue(out.contains(", %x : tensor<2xf32>"), out);
        assertEquals(List.of(), Verifier.verify(m, false));
    }

    @Test
    void keepsOpsWithSideEffectsAndUnregisteredOps() {
        Module m = IRTesting.parse("""
                module {
                  func.func @f(%x: tensor<2xf32>) {
                    %0 = "tst.neg"(%x) : (tensor<2xf32>) -> tensor<2xf32>
                    "tst.effect"(%0) : (tensor<2xf32>) -> ()
                    %1 = "other.op"(%x) : (tensor<2xf32>) -> tensor<2xf32>
                    %2 = "tst.neg"(%x) : (tensor<2xf32>) -> tensor<2xf32>
                    func.return
                  }
                }
                """);
        var result = driver(List.of()).run(m.op());
        assertEquals(1, result.opsErased());
        String out = IRPrinter.print(m);
        assertTrue(out.contains("tst.effect") && out.contains("other.op") && out.contains("func.return"), out);
        assertEquals(1, out.split("tst.neg", -1).length - 1, out);
    }

    @Test
    void wrapsAPatternExceptionWithTheOp() {
        Module m = IRTesting.parse(NEGATIONS);
        RewritePattern broken = new RewritePattern() {
            @Override
            public String rootOpName() {
                return "tst.effect";
            }

            @Override
            public boolean matchAndRewrite(Operation op, PatternRewriter rewriter) {
                throw new ArithmeticException("boom");
            }
        };
        var e = assertThrows(OpCrashException.class, () -> driver(List.of(broken)).run(m.op()));
        assertTrue(e.op().isA("tst.effect"));
        assertInstanceOf(ArithmeticException.class, e.getCause());
        assertTrue(e.getMessage().contains("test.lir:"), e.getMessage());
    }
}
