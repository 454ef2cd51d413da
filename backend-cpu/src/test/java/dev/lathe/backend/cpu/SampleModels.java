package dev.lathe.backend.cpu;

import dev.lathe.ir.Module;

/** A small whole model exercising weights, workspace, a parallel kernel and an assertion. */
public final class SampleModels {

    private SampleModels() {}

    /**
     * {@code y = (x + w) * 2} over 256 floats, {@code x + w} kept in the workspace; asserts
     * {@code x + w < 1000} ("sum too large") element by element.
     */
    public static Module addWeightsThenDouble() {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            w.append(i == 0 ? "" : ", ").append(i * 0.5f);
        }
        return LoopIr.parse("""
                func.func @k_add(%a: memref<256xf32>, %b: memref<256xf32>, %out: memref<256xf32>) {
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c1 = "loop.constant"() {value = 1 : index} : () -> index
                  %n = "loop.constant"() {value = 256 : index} : () -> index
                  %limit = "loop.constant"() {value = 1000.0 : f32} : () -> f32
                  "loop.parallel"(%c0, %n, %c1) ({
                  ^bb0(%i: index):
                    %x = "loop.load"(%a, %i) : (memref<256xf32>, index) -> f32
                    %y = "loop.load"(%b, %i) : (memref<256xf32>, index) -> f32
                    %s = "loop.add"(%x, %y) : (f32, f32) -> f32
                    %ok = "loop.cmp"(%s, %limit) {predicate = "lt"} : (f32, f32) -> i1
                    "loop.assert"(%ok) {message = "sum too large"} : (i1) -> ()
                    "loop.store"(%s, %out, %i) : (f32, memref<256xf32>, index) -> ()
                    "loop.yield"() : () -> ()
                  }) {grain = 16} : (index, index, index) -> ()
                  func.return
                }
                func.func @k_double(%a: memref<256xf32>, %out: memref<256xf32>) {
                  %c0 = "loop.constant"() {value = 0 : index} : () -> index
                  %c8 = "loop.constant"() {value = 8 : index} : () -> index
                  %n = "loop.constant"() {value = 256 : index} : () -> index
                  %two = "loop.constant"() {value = 2.0 : f32} : () -> vector<8xf32>
                  "loop.parallel"(%c0, %n, %c8) ({
                  ^bb0(%i: index):
                    %v = "loop.vload"(%a, %i) : (memref<256xf32>, index) -> vector<8xf32>
                    %d = "loop.mul"(%v, %two) : (vector<8xf32>, vector<8xf32>) -> vector<8xf32>
                    "loop.vstore"(%d, %out, %i) : (vector<8xf32>, memref<256xf32>, index) -> ()
                    "loop.yield"() : () -> ()
                  }) : (index, index, index) -> ()
                  func.return
                }
                func.func @main(%x: memref<256xf32>, %y: memref<256xf32>) attributes {inputs = ["x"], outputs = ["y"], workspace_size = 1024 : i64} {
                  %w = "loop.weight"() {offset = 0 : i64, value = dense<[W]> : tensor<256xf32>} : () -> memref<256xf32>
                  %t = "loop.alloc"() {offset = 0 : i64} : () -> memref<256xf32>
                  func.call @k_add(%x, %w, %t) : (memref<256xf32>, memref<256xf32>, memref<256xf32>) -> ()
                  func.call @k_double(%t, %y) : (memref<256xf32>, memref<256xf32>) -> ()
                  func.return
                }
                """.replace("[W]", "[" + w + "]"));
    }

    public static float expected(int i, float x) {
        return (x + i * 0.5f) * 2;
    }
}
