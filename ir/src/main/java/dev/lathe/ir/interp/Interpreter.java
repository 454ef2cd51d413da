package dev.lathe.ir.interp;

import dev.lathe.ir.Block;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Verifier;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.NnConstants;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference interpreter: runs a function of a module on concrete tensors, op by op, through
 * each op's reference semantics ({@code OpDefinition.evaluate}). It is the oracle that passes,
 * backends and the ONNX importer are checked against (see docs/interpreter.md).
 *
 * <pre>{@code
 * Interpreter interp = new Interpreter(module);
 * Map<String, DenseElementsAttr> out = interp.run("main", Map.of("x", x, "w", w));
 * }</pre>
 *
 * <ul>
 *   <li>Calling convention: inputs are named after the function's arguments, outputs after its
 *       {@code result_names} attribute ({@link Signature}). Inputs are checked against the
 *       declared types before anything runs ({@link InvalidInputException}).
 *   <li>Every op's results are checked against its declared result types, so a wrong static
 *       shape in the IR is reported at the op that declares it.
 *   <li>Values are released after their last use; decoded constants are cached per op.
 *   <li>Thread-safe: any number of runs may proceed at once. The interpreter works on a private
 *       copy of the module taken at construction, so later changes to the module do not affect it.
 * </ul>
 */
public final class Interpreter {

    /** How deep {@code func.call}s may nest before a run is stopped as unbounded recursion. */
    public static final int DEFAULT_MAX_CALL_DEPTH = 256;

    /**
     * @param allowUnregistered accept unregistered ops when verifying (running one still fails,
     *     when it is reached)
     * @param maxCallDepth the most {@code func.call}s active at once
     * @param listener observes every op of every run; null for none
     */
    public record Options(boolean allowUnregistered, int maxCallDepth, ExecutionListener listener) {

        public static final Options DEFAULT = new Options(false, DEFAULT_MAX_CALL_DEPTH, null);

        public Options {
            if (maxCallDepth < 1) {
                throw new IllegalArgumentException("maxCallDepth must be at least 1, got " + maxCallDepth);
            }
        }

        public Options withAllowUnregistered(boolean allow) {
            return new Options(allow, maxCallDepth, listener);
        }

        public Options withMaxCallDepth(int depth) {
            return new Options(allowUnregistered, depth, listener);
        }

        public Options withListener(ExecutionListener newListener) {
            return new Options(allowUnregistered, maxCallDepth, newListener);
        }
    }

    private final Module module;
    private final Options options;
    private final Map<String, Operation> functions = new LinkedHashMap<>();
    private final Map<String, Signature> signatures = new LinkedHashMap<>();
    private final ConcurrentHashMap<Block, BlockPlan> plans = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Operation, DenseElementsAttr> constants = new ConcurrentHashMap<>();

    /** Verifies {@code module} (unregistered ops rejected) and prepares to run it. */
    public Interpreter(Module module) {
        this(module, Options.DEFAULT);
    }

    /**
     * Verifies {@code module} and prepares to run it; throws {@link DiagnosticException} with
     * every problem the verifier finds, and for a malformed {@code result_names} attribute.
     */
    public Interpreter(Module module, Options options) {
        this.options = options;
        this.module = module.copy();
        List<Diagnostic> problems = new ArrayList<>(Verifier.verify(this.module, options.allowUnregistered()));
        if (problems.isEmpty()) {
            for (Operation fn : this.module.functions()) {
                try {
                    signatures.put(FuncOps.name(fn), Signature.of(fn));
                    functions.put(FuncOps.name(fn), fn);
                } catch (InvalidOpException e) {
                    problems.add(Diagnostic.error(fn.location(), "'" + fn.name() + "' op " + e.getMessage()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DiagnosticException(problems);
        }
    }

    /** The names of the functions that have a body (that can run), in module order. */
    public List<String> functions() {
        return functions.values().stream().filter(fn -> !FuncOps.isDeclaration(fn)).map(FuncOps::name).toList();
    }

    /** The inputs and outputs of {@code function}, with their names and declared types. */
    public Signature signature(String function) {
        return signatures.get(FuncOps.name(lookup(function)));
    }

    /**
     * Runs {@code function} on named inputs and returns its results by name, in result order.
     * Throws {@link InvalidInputException} when the inputs do not fit the signature, and
     * {@link InterpreterException} when an op fails. For functions of tensors only; see
     * {@link #runValues(String, Map)} for sequences and optionals.
     */
    public Map<String, DenseElementsAttr> run(String function, Map<String, DenseElementsAttr> inputs) {
        Map<String, RuntimeValue> wrapped = new LinkedHashMap<>();
        inputs.forEach((name, value) -> wrapped.put(name, value == null ? null : RuntimeValue.of(value)));
        Map<String, DenseElementsAttr> named = new LinkedHashMap<>();
        runValues(function, wrapped).forEach((name, value) -> named.put(name, value.tensor("result '" + name + "'")));
        return Collections.unmodifiableMap(named);
    }

    /** Runs {@code function} on inputs in argument order and returns its results in order (tensors only). */
    public List<DenseElementsAttr> run(String function, List<DenseElementsAttr> args) {
        return List.copyOf(RuntimeValue.tensors(runValues(function, RuntimeValue.wrap(args)), "result"));
    }

    /** Like {@link #run(String, Map)} for inputs and results that may be sequences or optionals. */
    public Map<String, RuntimeValue> runValues(String function, Map<String, ? extends RuntimeValue> inputs) {
        Operation fn = lookup(function);
        Signature sig = signatures.get(FuncOps.name(fn));
        List<RuntimeValue> results = execute(fn, InputValidation.bind(sig, inputs));
        Map<String, RuntimeValue> named = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            named.put(sig.outputs().get(i).name(), results.get(i));
        }
        return Collections.unmodifiableMap(named);
    }

    /** Like {@link #run(String, List)} for inputs and results that may be sequences or optionals. */
    public List<RuntimeValue> runValues(String function, List<? extends RuntimeValue> args) {
        Operation fn = lookup(function);
        return execute(fn, InputValidation.check(signatures.get(FuncOps.name(fn)), args));
    }

    private List<RuntimeValue> execute(Operation fn, List<RuntimeValue> args) {
        if (FuncOps.isDeclaration(fn)) {
            throw InterpreterException.at(fn, "'@" + FuncOps.name(fn) + "' is a declaration without a body; there is"
                    + " nothing to run");
        }
        return List.copyOf(new Execution(this, options.listener(), options.maxCallDepth()).callFunction(fn, args));
    }

    /** The function named {@code name} (a leading {@code @} is accepted). */
    private Operation lookup(String name) {
        String bare = name.startsWith("@") && !functions.containsKey(name) ? name.substring(1) : name;
        Operation fn = functions.get(bare);
        if (fn == null) {
            String known = functions.isEmpty() ? "it has no functions"
                    : "it has " + String.join(", ", functions.keySet().stream().map(n -> "'@" + n + "'").toList());
            throw new InterpreterException(module.location(), "no function '@" + bare + "' in the module; " + known);
        }
        return fn;
    }

    /** The plan of {@code block} (of {@code owner}'s region), built once and shared by all runs. */
    BlockPlan plan(Block block, Operation owner) {
        BlockPlan plan = plans.get(block);
        if (plan == null) {
            // Built outside computeIfAbsent: a failing build must not poison the map, and two
            // threads building the same plan at once get equal plans.
            plan = BlockPlan.build(block, owner, module);
            BlockPlan previous = plans.putIfAbsent(block, plan);
            if (previous != null) {
                plan = previous;
            }
        }
        return plan;
    }

    /** The value of an {@code nn.constant}, decoded once per op (weights are not decoded per run). */
    DenseElementsAttr constant(Operation op) {
        DenseElementsAttr value = constants.get(op);
        if (value == null) {
            value = constants.computeIfAbsent(op, c -> NnConstants.valueOf(c, module));
        }
        return value;
    }
}
