package dev.lathe.passes.transforms;

import static dev.lathe.passes.testing.IRTesting.canonical;
import static dev.lathe.passes.testing.IRTesting.parse;
import static dev.lathe.passes.testing.IRTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.IRPrinter;
import dev.lathe.ir.Module;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import org.junit.jupiter.api.Test;

class DcePassTest {

    @Test
    void erasesAChainOfUnusedPureOps() {
        assertEquals(canonical("""
                module {
                  func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                    func.return %a : tensor<2xf32>
                  }
                }
                """), run("dce", """
                module {
                  func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                    %c = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %0 = "nn.add"(%a, %c) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %1 = "nn.relu"(%0) : (tensor<2xf32>) -> tensor<2xf32>
                    %2 = "nn.mul"(%1, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    func.return %a : tensor<2xf32>
                  }
                }
                """));
    }

    @Test
    void keepsUsedOpsTerminatorsAndOpsWithUnknownEffects() {
        Module m = parse("""
                module {
                  func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                    %0 = "nn.relu"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                    %1 = "nn.relu"(%0) : (tensor<2xf32>) -> tensor<2xf32>
                    %2 = "test.print"(%1) : (tensor<2xf32>) -> tensor<2xf32>
                    "test.region"() ({
                      %3 = "nn.relu"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                      "test.yield"() : () -> ()
                    }) : () -> ()
                    func.return %0 : tensor<2xf32>
                  }
                }
                """);
        var result = new PassManager(PassPipeline.parse("dce")).allowUnregistered(true).disableCrashReproducer().run(m);
        assertEquals(1L, result.passes().get(0).counter("ops-erased"));
        assertEquals(canonical("""
                module {
                  func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                    %0 = "nn.relu"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                    %1 = "nn.relu"(%0) : (tensor<2xf32>) -> tensor<2xf32>
                    %2 = "test.print"(%1) : (tensor<2xf32>) -> tensor<2xf32>
                    "test.region"() ({
                      "test.yield"() : () -> ()
                    }) : () -> ()
                    func.return %0 : tensor<2xf32>
                  }
                }
                """), IRPrinter.print(m));
    }
}
