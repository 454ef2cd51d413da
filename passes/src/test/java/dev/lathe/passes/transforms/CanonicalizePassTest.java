package dev.lathe.passes.transforms;

import static dev.lathe.passes.testing.IRTesting.canonical;
import static dev.lathe.passes.testing.IRTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CanonicalizePassTest {

    @Test
    void transposeOfTransposeWithInversePermsIsTheInput() {
        assertEquals(canonical("""
                module {
                  func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
                    func.return %x : tensor<2x3xf32>
                  }
                }
                """), run("canonicalize", """
                module {
                  func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
                    %0 = "nn.transpose"(%x) {perm = [1, 0]} : (tensor<2x3xf32>) -> tensor<3x2xf32>
                    %1 = "nn.transpose"(%0) {perm = [1, 0]} : (tensor<3x2xf32>) -> tensor<2x3xf32>
                    func.return %1 : tensor<2x3xf32>
                  }
                }
                """));
    }

    @Test
    void transposeOfTransposeComposesPermutations() {
        assertEquals(canonical("""
                module {
                  func.func @f(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
                    %0 = "nn.transpose"(%x) {perm = [2, 0, 1]} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
                    func.return %0 : tensor<4x2x3xf32>
                  }
                }
                """), run("canonicalize", """
                module {
                  func.func @f(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
                    %0 = "nn.transpose"(%x) {perm = [1, 2, 0]} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
                    %1 = "nn.transpose"(%0) {perm = [1, 2, 0]} : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>
                    func.return %1 : tensor<4x2x3xf32>
                  }
                }
                """));
    }

    @Test
    void innerTransposeStaysWhileSomethingElseUsesIt() {
        String out = run("canonicalize", """
                module {
                  func.func @f(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>) {
                    %0 = "nn.transpose"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
                    %1 = "nn.transpose"(%0) : (tensor<3x2xf32>) -> tensor<2x3xf32>
                    func.return %1, %0 : tensor<2x3xf32>, tensor<3x2xf32>
                  }
                }
                """);
        assertEquals(canonical("""
                module {
                  func.func @f(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>) {
                    %0 = "nn.transpose"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
                    func.return %x, %0 : tensor<2x3xf32>, tensor<3x2xf32>
                  }
                }
                """), out);
    }

    @Test
    void reshapeOfReshapeReadsTheOriginalInput() {
        assertEquals(canonical("""
                module {
                  func.func @f(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
                    %0 = "nn.reshape"(%x) {shape = [3, -1]} : (tensor<2x3xf32>) -> tensor<3x2xf32>
                    func.return %0 : tensor<3x2xf32>
                  }
                }
                """), run("canonicalize", """
                module {
                  func.func @f(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
                    %0 = "nn.reshape"(%x) {shape = [6]} : (tensor<2x3xf32>) -> tensor<6xf32>
                    %1 = "nn.reshape"(%0) {shape = [3, -1]} : (tensor<6xf32>) -> tensor<3x2xf32>
                    func.return %1 : tensor<3x2xf32>
                  }
                }
                """));
    }

    @Test
    void movesConstantsRightOnlyInCommutativeOps() {
        String out = run("canonicalize", """
                module {
                  func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
                    %c = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
                    %0 = "nn.mul"(%c, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %1 = "nn.sub"(%c, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    func.return %0, %1 : tensor<2xf32>, tensor<2xf32>
                  }
                }
                """);
        assertEquals(canonical("""
                module {
                  func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
                    %c = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
                    %0 = "nn.mul"(%x, %c) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %1 = "nn.sub"(%c, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    func.return %0, %1 : tensor<2xf32>, tensor<2xf32>
                  }
                }
                """), out);
    }

    @Test
    void foldsOnlyExactIdentities() {
        String out = run("canonicalize", """
                module {
                  func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
                    %m = "nn.constant"() {value = dense<-0.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %p = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %0 = "nn.add"(%m, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %1 = "nn.add"(%x, %p) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    %2 = "nn.relu"(%x) : (tensor<2xf32>) -> tensor<2xf32>
                    func.return %0, %1 : tensor<2xf32>, tensor<2xf32>
                  }
                }
                """);
        assertEquals(canonical("""
                module {
                  func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
                    %p = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
                    %1 = "nn.add"(%x, %p) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
                    func.return %x, %1 : tensor<2xf32>, tensor<2xf32>
                  }
                }
                """), out);
    }
}
