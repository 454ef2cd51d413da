package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.cpu.CompiledCpuModel;
import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.aot.AotCompiler;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an imported model natively, by name: in process through the JIT, or as an AOT artifact
 * driven by {@code examples/aot-c/run.sh} in a separate process (raw {@code NAME.bin} files in
 * and out), so the test exercises exactly what a C user does.
 */
final class NativeModels {

    private NativeModels() {}

    /** The inputs in signature order. */
    static List<DenseElementsAttr> ordered(Signature sig, Map<String, DenseElementsAttr> inputs) {
        List<DenseElementsAttr> list = new ArrayList<>();
        for (Signature.Port p : sig.inputs()) {
            list.add(inputs.get(p.name()));
        }
        return list;
    }

    static Map<String, DenseElementsAttr> named(Signature sig, List<DenseElementsAttr> outputs) {
        Map<String, DenseElementsAttr> map = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            map.put(sig.outputs().get(i).name(), outputs.get(i));
        }
        return map;
    }

    static CompiledCpuModel jit(Module module, Map<String, DenseElementsAttr> sampleInputs) {
        Signature sig = Signature.of(CpuBackend.entry(module));
        return CpuBackend.compile(module, ordered(sig, sampleInputs), CpuBackend.Options.defaults());
    }

    static Map<String, DenseElementsAttr> run(CompiledCpuModel model, Map<String, DenseElementsAttr> inputs) {
        return named(model.signature(), model.run(ordered(model.signature(), inputs)));
    }

    /** Compiles {@code module} ahead of time for these inputs into {@code dir}. */
    static void compileAot(Module module, Map<String, DenseElementsAttr> inputs, Path dir) {
        Signature sig = Signature.of(CpuBackend.entry(module));
        List<DenseElementsAttr> values = ordered(sig, inputs);
        List<TensorType> types = values.stream().map(DenseElementsAttr::type).toList();
        CpuBackend.Lowered lowered = CpuBackend.lower(module, types, values, CpuBackend.Options.defaults());
        AotCompiler.Artifact artifact = AotCompiler.compile(lowered.module(), dir, null);
        assertTrue(artifact.library() != null, "no C compiler linked " + dir);
    }

    /** Runs the artifact in {@code dir} with the C driver on {@code inputs}; outputs by name. */
    static Map<String, DenseElementsAttr> runAot(Path dir, Signature sig, Map<String, DenseElementsAttr> inputs,
            List<TensorType> outputTypes) throws IOException, InterruptedException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = Files.createDirectories(dir.resolve("out"));
        for (Signature.Port p : sig.inputs()) {
            Files.write(in.resolve(p.name() + ".bin"), inputs.get(p.name()).toBytes());
        }
        Path script = Path.of("..", "examples", "aot-c", "run.sh").toAbsolutePath().normalize();
        Process process = new ProcessBuilder("bash", script.toString(), dir.toString(), in.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "run.sh did not finish");
        assertEquals(0, process.exitValue(), "examples/aot-c/run.sh failed:\n" + log);
        Map<String, DenseElementsAttr> outputs = new LinkedHashMap<>();
        for (int i = 0; i < sig.outputs().size(); i++) {
            String name = sig.outputs().get(i).name();
            byte[] bytes = Files.readAllBytes(out.resolve(name + ".bin"));
            outputs.put(name, DenseElementsAttr.fromBytes(outputTypes.get(i), bytes));
        }
        return outputs;
    }
}
