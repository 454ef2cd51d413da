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

class CsePassTest {

    @Test
    void mergesIdenticalOpsAndConstants() {
        assertEquals(canonical("""
                module {
                  func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                    %c = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %0 = "nn.add"(%a, %c) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %2 = "nn.mul"(%0, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    func.return %2 : tensor<2xf32>
                  }
                }
                """), run("cse", """
                module {
                  func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                    %c = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %d = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %0 = "nn.add"(%a, %c) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %1 = "nn.add"(%a, %d) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %2 = "nn.mul"(%0, %1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    func.return %2 : tensor<2xf32>
                  }
                }
                """));
    }

    @Test
    void keepsOpsThatDifferInOperandsAttributesOrOrder() {
        String input = """
                module {
                  func.func @f(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
                    %0 = "nn.sub"(%a, %b) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
                    %1 = "nn.sub"(%b, %a) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
                    %2 = "nn.transpose"(%a) {perm = [1, 0]} : (tensor<2x2xf32>) -> tensor<2x2xf32>
                    %3 = "nn.transpose"(%a) {perm = [0, 1]} : (tensor<2x2xf32>) -> tensor<2x2xf32>
                    func.return %0, %1, %2, %3 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
                  }
                }
                """;
        assertEquals(canonical(input), run("cse", input));
    }

    @Test
    void reusesOnlyValuesThatDominate() {
        Module m = parse("""
                module {
                  func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                    %0 = "nn.relu"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                    "test.region"() ({
                      %1 = "nn.relu"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                      %2 = "nn.sub"(%a, %1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                      "test.use"(%2) : (tensor<2xf32>) -> ()
                    }, {
                      %3 = "nn.sub"(%a, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                      "test.use"(%3) : (tensor<2xf32>) -> ()
                    }) : () -> ()
                    %4 = "nn.sub"(%a, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    "test.use"(%4) : (tensor<2xf32>) -> ()
                    func.return %0 : tensor<2xf32>
                  }
                }
                """);
        var result = new PassManager(PassPipeline.parse("cse")).allowUnregistered(true).disableCrashReproducer().run(m);
        assertEquals(1L, result.passes().get(0).counter("ops-eliminated"), IRPrinter.print(m));
        assertEquals(canonical("""
                module {
                  func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
                    %0 = "nn.relu"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                    "test.region"() ({
                      %2 = "nn.sub"(%a, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                      "test.use"(%2) : (tensor<2xf32>) -> ()
                    }, {
                      %3 = "nn.sub"(%a, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                      "test.use"(%3) : (tensor<2xf32>) -> ()
                    }) : () -> ()
                    %4 = "nn.sub"(%a, %0) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    "test.use"(%4) : (tensor<2xf32>) -> ()
                    func.return %0 : tensor<2xf32>
                  }
                }
                """), IRPrinter.print(m));
    }

    @Test
    void neverMergesUnregisteredOps() {
        String input = """
                module {
                  func.func @f(%a: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
                    %0 = "test.random"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                    %1 = "test.random"(%a) : (tensor<2xf32>) -> tensor<2xf32>
                    func.return %0, %1 : tensor<2xf32>, tensor<2xf32>
                  }
                }
                """;
        Module m = parse(input);
        new PassManager(PassPipeline.parse("cse")).allowUnregistered(true).disableCrashReproducer().run(m);
        assertEquals(canonical(input), IRPrinter.print(m));
    }
}
