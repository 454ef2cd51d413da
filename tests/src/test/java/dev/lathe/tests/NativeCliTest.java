package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.cli.LatheCommand;
import dev.lathe.frontend.onnx.Npy;
import dev.lathe.frontend.onnx.TensorProtos;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe run --backend cpu} and {@code lathe compile} end to end, as a user types them. */
class NativeCliTest {

    static final String MODEL = """
            func.func @main(%x: tensor<3x20xf32>, %b: tensor<20xf32>) -> tensor<3x20xf32> attributes {result_names = ["y"]} {
              %0 = "nn.add"(%x, %b) : (tensor<3x20xf32>, tensor<20xf32>) -> tensor<3x20xf32>
              %1 = "nn.relu"(%0) : (tensor<3x20xf32>) -> tensor<3x20xf32>
              func.return %1 : tensor<3x20xf32>
            }
            """;

    @Test
    void runWithTheCpuBackendMatchesTheInterpreter(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("m.lir"), MODEL);
        DenseElementsAttr x = seeded(TensorType.of(ScalarType.F32, 3, 20), 1);
        DenseElementsAttr b = seeded(TensorType.of(ScalarType.F32, 20), 2);
        Npy.write(dir.resolve("x.npy"), x);
        Npy.write(dir.resolve("b.npy"), b);
        Path dump = dir.resolve("dump");
        CliTest.Run cpu = CliTest.lathe("run", model.toString(), "--input", "x=" + dir.resolve("x.npy"), "--input",
                "b=" + dir.resolve("b.npy"), "--backend", "cpu", "--threads", "2", "--output-dir",
                dir.resolve("cpu").toString(), "--debug-dump", dump.toString());
        assertEquals(0, cpu.exitCode(), cpu.err());
        assertTrue(cpu.out().contains("compiled main for the cpu in"), cpu.out());
        CliTest.Run interp = CliTest.lathe("run", model.toString(), "--input", "x=" + dir.resolve("x.npy"), "--input",
                "b=" + dir.resolve("b.npy"), "--output-dir", dir.resolve("interp").toString());
        assertEquals(0, interp.exitCode(), interp.err());
        // add and relu round once in f32 either way: bit-identical
        assertEquals(TensorProtos.read(dir.resolve("interp/y.pb")).value(), TensorProtos.read(dir.resolve("cpu/y.pb")).value());
        for (String f : new String[] {"loop.lir", "module.ll", "module.opt.ll", "module.s"}) {
            assertTrue(Files.size(dump.resolve(f)) > 0, "debug dump lacks " + f);
        }
        assertTrue(Files.readString(dump.resolve("loop.lir")).contains("loop.parallel"));
    }

    @Test
    void compileWritesAnArtifactTheCDriverRuns(@TempDir Path dir) throws Exception {
        Path model = Files.writeString(dir.resolve("m.lir"), MODEL);
        Path out = dir.resolve("art");
        CliTest.Run r = CliTest.lathe("compile", model.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        for (String f : new String[] {"libmodel.so", "model.o", "model.h", "weights.bin", "manifest.json", "lathe_rt.c"}) {
            assertTrue(Files.exists(out.resolve(f)), "artifact lacks " + f);
        }
        DenseElementsAttr x = seeded(TensorType.of(ScalarType.F32, 3, 20), 1);
        DenseElementsAttr b = seeded(TensorType.of(ScalarType.F32, 20), 2);
        var outputs = NativeModels.runAot(out, dev.lathe.ir.interp.Signature.of(dev.lathe.backend.cpu.CpuBackend.entry(
                dev.lathe.frontend.IRParser.parse(MODEL, "m.lir"))), java.util.Map.of("x", x, "b", b),
                java.util.List.of(TensorType.of(ScalarType.F32, 3, 20)));
        for (int i = 0; i < 60; i++) {
            double want = Math.max(0, (float) (x.getDouble(i) + b.getDouble(i % 20)));
            assertEquals(want, outputs.get("y").getDouble(i), 0.0, "element " + i);
        }
    }

    /** A data-dependent (bounded) output through the C ABI: the driver writes exactly the tensor. */
    @Test
    void theCDriverWritesABoundedOutputCutToItsExtent(@TempDir Path dir) throws Exception {
        String lir = """
                func.func @main(%x: tensor<2x3xf32>) -> tensor<2x?xi64> attributes {result_names = ["nz"]} {
                  %0 = "nn.non_zero"(%x) : (tensor<2x3xf32>) -> tensor<2x?xi64>
                  func.return %0 : tensor<2x?xi64>
                }
                """;
        Path model = Files.writeString(dir.resolve("nz.lir"), lir);
        Path out = dir.resolve("art");
        CliTest.Run r = CliTest.lathe("compile", model.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertTrue(manifest.contains("\"shape\": [2, -1], \"max_shape\": [2, 6], \"extent_output\": \"nz_extent\"")
                && manifest.contains("\"extent_of\": \"nz\""), manifest);
        DenseElementsAttr x = DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 2, 3),
                new double[] {0, 1.5, 0, -2, 0, 3});
        var outputs = NativeModels.runAot(out, dev.lathe.ir.interp.Signature.of(dev.lathe.backend.cpu.CpuBackend.entry(
                dev.lathe.frontend.IRParser.parse(lir, "nz.lir"))), java.util.Map.of("x", x),
                java.util.List.of(TensorType.of(ScalarType.I64, 2, 3)));
        // nonzeros at (0,1), (1,0), (1,2): rows then columns, 3 of the bound's 6
        assertEquals(java.util.List.of(0L, 1L, 1L, 1L, 0L, 2L), java.util.stream.LongStream.range(0, 6)
                .mapToObj(outputs.get("nz")::getLong).toList());
        assertTrue(!Files.exists(out.resolve("out").resolve("nz_extent.bin")), "the extent is not a graph output");
    }

    @Test
    void unknownBackendAndMissingShapesAreUserErrors(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve("m.lir"), MODEL);
        CliTest.Run r = CliTest.lathe("run", model.toString(), "--backend", "gpu");
        assertEquals(LatheCommand.EXIT_INVALID_INPUT, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("unknown backend 'gpu'; available: interp, cpu"), r.err());
        // An input of another shape than the model declares is the user's error, as with the interpreter.
        Path wrong = dir.resolve("wrong.npy");
        Npy.write(wrong, DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 3, 21), new double[63]));
        Path b = dir.resolve("b.npy");
        Npy.write(b, DenseElementsAttr.fromDoubles(TensorType.of(ScalarType.F32, 20), new double[20]));
        CliTest.Run shape = CliTest.lathe("run", model.toString(), "--backend", "cpu", "--input", "x=" + wrong,
                "--input", "b=" + b, "--output-dir", dir.resolve("out-wrong").toString());
        assertEquals(LatheCommand.EXIT_INVALID_INPUT, shape.exitCode(), shape.out() + shape.err());
        assertTrue(shape.err().contains("input 'x': expected") && !shape.err().contains("internal error"), shape.err());
        Path dynamic = Files.writeString(dir.resolve("d.lir"), """
                func.func @g(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
                  %0 = "nn.relu"(%x) : (tensor<?x4xf32>) -> tensor<?x4xf32>
                  func.return %0 : tensor<?x4xf32>
                }
                """);
        CliTest.Run c = CliTest.lathe("compile", dynamic.toString(), "-o", dir.resolve("o").toString());
        assertEquals(LatheCommand.EXIT_INVALID_INPUT, c.exitCode(), c.out() + c.err());
        assertTrue(c.err().contains("lowering needs static tensor shapes"), c.err());
    }

    static DenseElementsAttr seeded(TensorType t, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = new double[(int) t.numElements()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return DenseElementsAttr.fromDoubles(t, v);
    }
}
