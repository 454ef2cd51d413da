package dev.lathe.passes.transforms;

import static dev.lathe.passes.testing.IRTesting.canonical;
import static dev.lathe.passes.testing.IRTesting.parse;
import static dev.lathe.passes.testing.IRTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.passes.PassFailureException;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import org.junit.jupiter.api.Test;

class InferShapesPassTest {

    @Test
    void refinesResultsThroughUsesIntoTheSignature() {
        assertEquals(canonical("""
                module {
                  func.func @f(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
                    %0 = "nn.relu"(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
                    %1 = "nn.add"(%0, %0) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
                    func.return %1 : tensor<2x3xf32>
                  }
                }
                """), run("infer-shapes", """
                module {
                  func.func @f(%a: tensor<2x3xf32>) -> tensor<?x3xf32> {
                    %0 = "nn.relu"(%a) : (tensor<2x3xf32>) -> tensor<?x?xf32>
                    %1 = "nn.add"(%0, %0) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
                    func.return %1 : tensor<?x?xf32>
                  }
                }
                """));
    }

    @Test
    void keepsStaticSizesTheCurrentTypeAlreadyHas() {
        String input = """
                module {
                  func.func @f(%a: tensor<?x3xf32>, %b: tensor<?x3xf32>) -> tensor<2x3xf32> {
                    %0 = "nn.add"(%a, %b) : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<2x?xf32>
                    func.return %0 : tensor<2x?xf32>
                  }
                }
                """;
        assertEquals(canonical(input.replace("-> tensor<2x?xf32>", "-> tensor<2x3xf32>")
                .replace("func.return %0 : tensor<2x?xf32>", "func.return %0 : tensor<2x3xf32>")), run("infer-shapes", input));
    }

    @Test
    void refinesCallSitesOfRefinedFunctions() {
        assertEquals(canonical("""
                module {
                  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
                    %0 = func.call @g(%x) : (tensor<4xf32>) -> tensor<4xf32>
                    %1 = "nn.relu"(%0) : (tensor<4xf32>) -> tensor<4xf32>
                    func.return %1 : tensor<4xf32>
                  }
                  func.func @g(%y: tensor<4xf32>) -> tensor<4xf32> {
                    %0 = "nn.relu"(%y) : (tensor<4xf32>) -> tensor<4xf32>
                    func.return %0 : tensor<4xf32>
                  }
                }
                """), run("infer-shapes", """
                module {
                  func.func @main(%x: tensor<4xf32>) -> tensor<?xf32> {
                    %0 = func.call @g(%x) : (tensor<4xf32>) -> tensor<?xf32>
                    %1 = "nn.relu"(%0) : (tensor<?xf32>) -> tensor<?xf32>
                    func.return %1 : tensor<?xf32>
                  }
                  func.func @g(%y: tensor<4xf32>) -> tensor<?xf32> {
                    %0 = "nn.relu"(%y) : (tensor<4xf32>) -> tensor<?xf32>
                    func.return %0 : tensor<?xf32>
                  }
                }
                """));
    }

    @Test
    void conflictingStaticSizesAreALocatedError() {
        var m = parse("""
                module {
                  func.func @main(%x: tensor<4xf32>) -> tensor<?xf32> {
                    %0 = func.call @g(%x) : (tensor<4xf32>) -> tensor<3xf32>
                    func.return %0 : tensor<3xf32>
                  }
                  func.func @g(%y: tensor<4xf32>) -> tensor<?xf32> {
                    func.return %y : tensor<4xf32>
                  }
                }
                """);
        var e = assertThrows(PassFailureException.class,
                () -> new PassManager(PassPipeline.parse("infer-shapes")).disableCrashReproducer().run(m));
        assertEquals("pass 'infer-shapes' failed\ntest.lir:3:5: error: 'func.call' op result #0 has type tensor<3xf32>"
                + " but @g returns tensor<4xf32>", e.getMessage());
    }
}
