package dev.lathe.cli;

import dev.lathe.backend.cpu.CpuBackend;
import dev.lathe.backend.cpu.DebugDump;
import dev.lathe.backend.cpu.aot.AotCompiler;
import dev.lathe.frontend.onnx.Npy;
import dev.lathe.frontend.onnx.TensorProtos;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.transforms.InputShapes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe compile MODEL -o DIR}: an ahead-of-time artifact (docs/aot.md). */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compiles a model (.onnx or .lir) ahead of time into DIR: model.o, libmodel.so (linked with the",
                "system C compiler), model.h, weights.bin and manifest.json. The artifact needs neither Lathe nor LLVM."})
public final class CompileCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a .onnx model or a .lir module")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "the artifact directory")
    Path output;

    @Option(names = "--target-cpu", paramLabel = "NAME",
            description = "an LLVM CPU name (x86-64-v3, znver4, ...); default: this machine's CPU and features")
    String targetCpu;

    @Option(names = "--input-shape", paramLabel = "NAME=DIMS", description = "fix an input's shape, e.g. input_ids=1x128")
    Map<String, String> inputShapes = new LinkedHashMap<>();

    @Option(names = "--input", paramLabel = "NAME=FILE",
            description = "the value of an input that decides shapes or branches (.pb or .npy); its shape too")
    Map<String, Path> inputValues = new LinkedHashMap<>();

    @Option(names = "-O0", description = "skip the graph optimization pipeline")
    boolean noOptimize;

    @Option(names = "--debug-dump", paramLabel = "DIR", description = "write the loop IR, LLVM IR and assembly to DIR")
    Path debugDump;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "the compile cache (default: ~/.cache/lathe/compiled)")
    Path cacheDir;

    @Option(names = "--no-cache", description = "compile without the compile cache (also with --debug-dump)")
    boolean noCache;

    @picocli.CommandLine.Mixin
    TuneOption tuneOption = new TuneOption();

    @Override
    public Integer call() throws IOException {
        Module module = ModelLoader.load(model);
        Signature signature;
        try {
            signature = Signature.of(CpuBackend.entry(module));
        } catch (IllegalArgumentException e) {
            throw new UserErrorException(model + ": " + e.getMessage());
        }
        List<TensorType> types = new ArrayList<>();
        List<DenseElementsAttr> values = new ArrayList<>();
        Map<String, String> shapesLeft = new LinkedHashMap<>(inputShapes);
        Map<String, Path> valuesLeft = new LinkedHashMap<>(inputValues);
        for (Signature.Port port : signature.inputs()) {
            DenseElementsAttr value = null;
            Path file = valuesLeft.remove(port.name());
            if (file != null) {
                value = read(file);
            }
            String dims = shapesLeft.remove(port.name());
            TensorType type = value != null ? value.type() : null;
            if (dims != null) {
                if (!(port.type() instanceof TensorType declared)) {
                    throw new UserErrorException("input '" + port.name() + "' is not a tensor");
                }
                try {
                    type = TensorType.of(declared.elementType(), InputShapes.parseDims(dims));
                } catch (NumberFormatException bad) {
                    throw new UserErrorException("--input-shape " + port.name() + "=" + dims + ": expected dimensions like 1x128");
                }
            }
            types.add(type);
            values.add(value);
        }
        if (!shapesLeft.isEmpty() || !valuesLeft.isEmpty()) {
            throw new UserErrorException("the model has no input " + (shapesLeft.isEmpty() ? valuesLeft.keySet() : shapesLeft.keySet())
                    + "; its inputs are " + signature.inputNames());
        }
        if (targetCpu != null && !dev.lathe.backend.cpu.llvm.LlvmTarget.isKnownCpu(targetCpu)) {
            throw new UserErrorException("--target-cpu: unknown CPU '" + targetCpu + "'; expected an LLVM CPU name such as"
                    + " x86-64-v3, skylake-avx512, icelake-server or znver4, or host");
        }
        if (targetCpu != null) {
            tuneOption.rejectWith("--target-cpu (tuning measures this machine)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!noCache && debugDump == null) {
            // Through the compile cache: a hit copies the stored artifact instead of compiling.
            dev.lathe.runtime.Options ro = tuneOption.apply(RuntimeOptions.of(null, noOptimize, cacheDir, false))
                    .withTargetCpu(targetCpu);
            dev.lathe.runtime.CompileReport report;
            try {
                report = dev.lathe.runtime.Lathe.compileArtifact(module, types, values, ro, output);
            } catch (IllegalArgumentException e) {
                throw new UserErrorException(e.getMessage());
            } catch (IllegalStateException e) {
                report = null; // no C compiler: the direct path below says how to link by hand
            }
            if (report != null) {
                out.println("compiled " + signature.function() + " for " + (targetCpu == null ? "this machine" : targetCpu)
                        + " into " + output + ": " + report.describe());
                out.flush();
                return 0;
            }
        }
        tuneOption.rejectWith(debugDump != null ? "--debug-dump" : "--no-cache");
        CpuBackend.Options options = CpuBackend.Options.defaults().withOptimize(!noOptimize)
                .withDebugDump(debugDump == null ? null : new DebugDump(debugDump));
        long t0 = System.nanoTime();
        CpuBackend.Lowered lowered;
        try {
            lowered = CpuBackend.lower(module, types, values, options);
        } catch (IllegalArgumentException e) {
            throw new UserErrorException(e.getMessage());
        }
        AotCompiler.Artifact artifact = AotCompiler.compile(lowered.module(), output, targetCpu, options.dump());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        out.println("compiled " + signature.function() + " for " + artifact.targetCpu() + " in " + millis + " ms into "
                + output + " (compile cache not used)");
        if (artifact.library() == null) {
            out.println("no C compiler found: link " + AotCompiler.OBJECT + " and " + AotCompiler.RUNTIME_SOURCE
                    + " into a shared library yourself (docs/aot.md)");
        }
        out.flush();
        return 0;
    }

    private static DenseElementsAttr read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new UserErrorException("no such file: " + file);
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".npy")) {
            return Npy.read(file);
        }
        if (name.endsWith(".pb")) {
            return TensorProtos.read(file).value();
        }
        throw new UserErrorException(file + ": expected a .pb (ONNX TensorProto) or .npy file");
    }
}
