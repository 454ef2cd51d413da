package dev.lathe.backend.cpu;

import dev.lathe.backend.cpu.jit.JitCompiler;
import dev.lathe.backend.cpu.jit.NativeModel;
import dev.lathe.backend.cpu.llvm.Llvm;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.TensorType;
import dev.lathe.passes.PassManager;
import dev.lathe.passes.PassPipeline;
import dev.lathe.passes.lower.Lowerings;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.Type;
import dev.lathe.costmodel.CostModel;
import dev.lathe.costmodel.CostModels;
import dev.lathe.costmodel.GemmProblem;
import dev.lathe.costmodel.Schedule;
import dev.lathe.costmodel.TunedCostModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole way from an {@code nn} module to native code in this process: specialize to the
 * inputs, run the graph pipeline, {@code lower-to-loops}, {@code plan-buffers}, then LLVM and the
 * JIT. Errors in the model come out as {@link dev.lathe.ir.DiagnosticException} or
 * {@link dev.lathe.passes.PassFailureException} naming the op and its location.
 */
public final class CpuBackend {

    /** The graph passes before lowering when optimizing, and the minimum that makes shapes static. */
    public static final String OPTIMIZING_PIPELINE = PassPipeline.DEFAULT;
    public static final String MINIMAL_PIPELINE = "simplify-shapes,canonicalize,dce";
    public static final String LOWERING_PIPELINE = "lower-to-loops,plan-buffers";
    /**
     * First of all: unroll every {@code nn.loop} and {@code nn.scan} (no loop op is lowered;
     * unrolling also resolves sequences a loop builds), failing on one it cannot unroll.
     */
    public static final String UNROLL_PIPELINE = "unroll-loops{require-all}";

    /**
     * @param threads threads running parallel loops (the calling thread included)
     * @param optimize whether to run the default graph pipeline ({@code -O0} turns it off)
     * @param dump where to write the loop IR, LLVM IR and assembly, or null
     * @param gemmChoices measured GEMM schedules ({@code --tune}, {@link dev.lathe.backend.cpu.tune.TuningTable})
     *     that replace the cost model's pick for their problems; empty: the cost model decides alone
     */
    public record Options(int threads, boolean optimize, DebugDump dump, Map<GemmProblem, Schedule> gemmChoices) {
        public Options {
            gemmChoices = Map.copyOf(gemmChoices);
        }

        public Options(int threads, boolean optimize, DebugDump dump) {
            this(threads, optimize, dump, Map.of());
        }

        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), true, null);
        }

        public Options withThreads(int n) {
            return new Options(n, optimize, dump, gemmChoices);
        }

        public Options withOptimize(boolean on) {
            return new Options(threads, on, dump, gemmChoices);
        }

        public Options withDebugDump(DebugDump d) {
            return new Options(threads, optimize, d, gemmChoices);
        }

        public Options withGemmChoices(Map<GemmProblem, Schedule> choices) {
            return new Options(threads, optimize, dump, choices);
        }
    }

    private CpuBackend() {}

    /**
     * Compiles {@code nnModule} (left unchanged) for inputs like {@code sampleInputs}: their
     * shapes, and their values where an op reads an input at compile time.
     */
    public static CompiledCpuModel compile(Module nnModule, List<DenseElementsAttr> sampleInputs, Options options) {
        return compileValues(nnModule, RuntimeValue.wrap(sampleInputs), options);
    }

    /**
     * Like {@link #compile}, for inputs that may be sequences or optionals: the compiled code
     * holds for their lengths and presence too (docs/backend-cpu.md#sequences-and-optionals),
     * and {@link CompiledCpuModel#runValues} takes and gives such values.
     */
    public static CompiledCpuModel compileValues(Module nnModule, List<RuntimeValue> sampleInputs, Options options) {
        List<DenseElementsAttr> flat = new ArrayList<>();
        List<BoundaryValue> inputs = BoundaryValue.flatten(sampleInputs, flat);
        Lowered lowered = lower(nnModule, inputs, flat.stream().map(DenseElementsAttr::type).toList(), flat, options);
        NativeModel model = JitCompiler.compile(lowered.module(),
                JitCompiler.Options.defaults().withThreads(options.threads()).withDebugDump(options.dump()));
        return new CompiledCpuModel(lowered.signature(), model, lowered.frozen(), lowered.inputs(), lowered.outputs());
    }

    /**
     * A module lowered to the loop dialect, with the signature and frozen inputs it was
     * specialized to, and how its graph inputs and outputs map to native tensor arguments.
     */
    public record Lowered(Module module, Signature signature, Map<Integer, DenseElementsAttr> frozen,
            List<BoundaryValue> inputs, List<BoundaryValue> outputs) {}

    /**
     * Specializes a copy of {@code nnModule} to {@code inputTypes} (null entries keep the declared
     * type) and {@code inputValues} (needed only for inputs read at compile time; null entries
     * allowed), runs the graph pipeline and lowers it to loops with planned buffers. Every input
     * is a tensor here; sequences and optionals go through {@link #compileValues}.
     */
    public static Lowered lower(Module nnModule, List<TensorType> inputTypes, List<DenseElementsAttr> inputValues,
            Options options) {
        return lower(nnModule, tensorInputs(inputTypes.size()), inputTypes, inputValues, options);
    }

    /** Boundary values for {@code count} inputs that are all tensors. */
    private static List<BoundaryValue> tensorInputs(int count) {
        List<BoundaryValue> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inputs.add(new BoundaryValue.Tensor(i));
        }
        return inputs;
    }

    private static Lowered lower(Module nnModule, List<BoundaryValue> inputs, List<TensorType> flatTypes,
            List<DenseElementsAttr> flatValues, Options options) {
        Graph graph = graph(nnModule, inputs, flatTypes, flatValues, options.optimize());
        Module module = graph.module();
        CostModel costModel = options.gemmChoices().isEmpty() ? CostModels.defaultModel()
                : new TunedCostModel(CostModels.defaultModel(), options.gemmChoices());
        CompilePhases.time("lower-to-loops, plan-buffers", () -> CostModels.withDefault(costModel,
                () -> new PassManager(PassPipeline.parse(LOWERING_PIPELINE)).verifyEach(true).disableCrashReproducer()
                        .run(module)));
        if (options.dump() != null) {
            options.dump().write(DebugDump.LOOP_IR, dev.lathe.ir.IRPrinter.print(module));
        }
        return new Lowered(module, graph.signature(), graph.frozen(), inputs, graph.outputs());
    }

    /**
     * A model after specialization and the graph pipeline, just before {@code lower-to-loops}: what
     * the GEMM tuner ({@link dev.lathe.backend.cpu.tune.GemmTuner}) cuts into one-op functions.
     */
    public record Graph(Module module, Signature signature, Map<Integer, DenseElementsAttr> frozen,
            List<BoundaryValue> outputs) {}

    /** {@link #lower} up to (not including) the lowering pipeline, for tensor inputs. */
    public static Graph graph(Module nnModule, List<TensorType> inputTypes, List<DenseElementsAttr> inputValues,
            boolean optimize) {
        return graph(nnModule, tensorInputs(inputTypes.size()), inputTypes, inputValues, optimize);
    }

    private static Graph graph(Module nnModule, List<BoundaryValue> inputs, List<TensorType> flatTypes,
            List<DenseElementsAttr> flatValues, boolean optimize) {
        Llvm.preloadInBackground();
        Module module = CompilePhases.time("copy module", nnModule::copy);
        Operation fn = entry(module);
        Signature signature = Signature.of(fn);
        for (int i = 0; i < signature.inputs().size() && i < inputs.size(); i++) {
            Type declared = signature.inputs().get(i).type();
            if (inputs.get(i) instanceof BoundaryValue.Tensor && (declared instanceof SequenceType
                    || declared instanceof OptionalType)) {
                throw new IllegalArgumentException("input '" + signature.inputs().get(i).name() + "' is a "
                        + declared.text() + ": give a sample value (its length or presence is compiled in)");
            }
        }
        SequenceBoundary.expandInputs(fn, inputs, flatTypes);
        Map<Integer, DenseElementsAttr> frozen = CompilePhases.time("specialize",
                () -> Specializer.specialize(module, fn, flatTypes, flatValues, Lowerings.builtin()));
        String graph = optimize ? OPTIMIZING_PIPELINE : MINIMAL_PIPELINE;
        CompilePhases.time("graph passes", () -> new PassManager(PassPipeline.parse(UNROLL_PIPELINE + "," + graph))
                .verifyEach(true).disableCrashReproducer().run(module));
        List<BoundaryValue> outputs = SequenceBoundary.flattenOutputs(fn);
        CompilePhases.time("graph passes", () -> new PassManager(PassPipeline.parse("dce")).verifyEach(true)
                .disableCrashReproducer().run(module));
        SequenceBoundary.requireTensorsOnly(fn);
        return new Graph(module, signature, frozen, outputs);
    }

    /** The module's one function with a body. */
    public static Operation entry(Module module) {
        List<Operation> fns = module.functions().stream().filter(f -> !FuncOps.isDeclaration(f)).toList();
        if (fns.size() != 1) {
            throw new IllegalArgumentException("the cpu backend compiles a module with one function, found " + fns.size());
        }
        return fns.get(0);
    }
}
