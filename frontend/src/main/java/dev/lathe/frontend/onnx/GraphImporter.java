package dev.lathe.frontend.onnx;

import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.NodeProto;
import dev.lathe.frontend.onnx.proto.SparseTensorProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.frontend.onnx.proto.ValueInfoProto;
import dev.lathe.ir.Block;
import dev.lathe.ir.BlockArgument;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.frontend.onnx.converters.ImportTimeFolding;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.YieldOp;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.ValueTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports the main graph of a model into a {@code func.func @main}: graph inputs without an
 * initializer become the arguments, in order; initializers (and inputs that have one) become
 * {@code nn.constant}s when first used; each node goes through its converter, in the graph's
 * (topological) order; the graph outputs are returned.
 *
 * <p>Subgraphs (the branches of If, the bodies of Loop and Scan) are imported by
 * {@link #importSubgraph} into a block of their own, when their node's converter asks
 * ({@link ConversionContext#importSubgraph}). Names resolve through a chain of scopes, the
 * subgraph's own first, then the graphs enclosing it (ONNX's outer-scope values).
 */
final class GraphImporter implements ConversionContext.Subgraphs {

    private static final String FUNCTION_NAME = OnnxImporter.FUNCTION_NAME;


    private final String model;
    private final Map<String, Integer> opsets;
    private final OnnxOpRegistry registry;
    private final Map<String, DenseElementsAttr> inputValues;
    private final TensorDecoder decoder;
    private final Module module;

    /** The names one graph defines; a subgraph's scope has the enclosing graph's as parent. */
    private static final class Scope {
        final Scope parent;
        final Map<String, Value> values = new HashMap<>();
        final Map<String, TensorProto> initializers = new LinkedHashMap<>();
        final Map<String, SparseTensorProto> sparseInitializers = new LinkedHashMap<>();
        final Map<String, Integer> producers = new HashMap<>();

        Scope(Scope parent) {
            this.parent = parent;
        }
    }

    private Scope scope = new Scope(null);
    private ConversionContext ctx;
    /** For each imported subgraph block, {@link ConversionContext#placedCount} when its import began. */
    private final Map<Block, Integer> subgraphMarks = new IdentityHashMap<>();

    GraphImporter(String model, Map<String, Integer> opsets, ImportOptions options, TensorDecoder decoder,
            Module module) {
        this.model = model;
        this.opsets = opsets;
        this.registry = options.registry();
        this.inputValues = options.inputValues();
        this.decoder = decoder;
        this.module = module;
    }

    Operation importMain(GraphProto graph) {
        collectInitializers(graph);
        Operation fn = createFunction(graph);
        Block body = FuncOps.body(fn);
        ctx = new ConversionContext(module, body);
        ctx.setSubgraphs(this);
        offerInputValues(body);
        convertNodes(graph);
        List<Value> results = outputs(graph, model);
        for (int i = 0; i < results.size(); i++) {
            checkDeclaredType(graph.getOutput(i), results.get(i));
        }
        Operation ret = FuncOps.createReturn(results, fn.location());
        body.append(ret);
        removeFrozenArguments(fn);
        List<Type> argTypes = body.arguments().stream().map(Value::type).toList();
        FuncOps.setType(fn, FunctionType.of(argTypes, ret.operandTypes()));
        // Callers (lathe run, the interpreter) name outputs as the graph does.
        Signature.setResultNames(fn, graph.getOutputList().stream().map(ValueInfoProto::getName).toList());
        return fn;
    }

    /**
     * Imports {@code graph}, a subgraph of the node being converted, into a new detached block
     * whose arguments have {@code argumentTypes} (one per graph input, named after it) and which
     * ends in an {@code nn.yield} of the graph's outputs. The subgraph's nodes see its own names
     * first, then those of the enclosing graphs; its initializers and constants become
     * {@code nn.constant}s at the top of the function, like the main graph's.
     */
    @Override
    public Block importSubgraph(GraphProto graph, List<? extends Type> argumentTypes) {
        OnnxNode owner = ctx.node();
        String what = "subgraph '" + graph.getName() + "'";
        if (graph.getInputCount() != argumentTypes.size()) {
            throw owner.error(what + " takes " + graph.getInputCount() + " inputs; expected " + argumentTypes.size());
        }
        Scope outer = scope;
        Block outerBlock = ctx.currentBlock();
        Block block = new Block(argumentTypes);
        subgraphMarks.put(block, ctx.placedCount());
        scope = new Scope(outer);
        try {
            collectInitializers(graph);
            for (int i = 0; i < graph.getInputCount(); i++) {
                ValueInfoProto in = graph.getInput(i);
                if (in.getName().isEmpty()) {
                    throw owner.error(what + " input #" + i + " has no name");
                }
                checkDeclaredElementType(owner, what, in, argumentTypes.get(i));
                block.argument(i).setNameHint(in.getName());
                scope.values.put(in.getName(), block.argument(i));
            }
            ctx.setCurrentBlock(block);
            convertNodes(graph);
            List<Value> results = outputs(graph, owner.where());
            block.append(Operation.create(YieldOp.NAME, results, List.of(), Map.of(), owner.location()));
            return block;
        } finally {
            scope = outer;
            ctx.setCurrentBlock(outerBlock);
            ctx.setNode(owner);
        }
    }

    @Override
    public void discard(Block block) {
        for (Operation op : block.operations()) {
            op.dropAllReferences();
        }
        Integer mark = subgraphMarks.remove(block);
        if (mark == null) {
            return;
        }
        ctx.eraseUnusedConstantsSince(mark);
        // Initializers of enclosing graphs first used in the block were cached as constants just erased.
        for (Scope sc = scope; sc != null; sc = sc.parent) {
            sc.values.values().removeIf(v -> v instanceof OpResult r && r.owner().block() == null);
        }
    }

    private void convertNodes(GraphProto graph) {
        for (int i = 0; i < graph.getNodeCount(); i++) {
            for (String out : graph.getNode(i).getOutputList()) {
                scope.producers.putIfAbsent(out, i);
            }
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            convertNode(graph, i);
        }
    }

    /** The values of the graph's outputs; {@code where} locates the error for one nothing produces. */
    private List<Value> outputs(GraphProto graph, String where) {
        List<Value> results = new ArrayList<>();
        for (ValueInfoProto out : graph.getOutputList()) {
            Value v = lookup(out.getName());
            if (v == null) {
                throw OnnxDiagnostics.error(where, (scope.parent == null ? "graph" : "subgraph '" + graph.getName() + "'")
                        + " output '" + out.getName() + "' is not produced by any node, graph input or initializer");
            }
            results.add(v);
        }
        return results;
    }

    /** A subgraph input declared with an element type must receive that type (its shape may differ). */
    private static void checkDeclaredElementType(OnnxNode owner, String what, ValueInfoProto in, Type given) {
        TensorType declared;
        try {
            declared = OnnxTypes.tensorType(in.hasType() ? in.getType() : null);
        } catch (IllegalArgumentException e) {
            return; // subgraph inputs may leave their type or rank open (or be sequences, optionals)
        }
        if (!(given instanceof TensorType g) || declared.elementType() != g.elementType()) {
            throw owner.error(what + " input '" + in.getName() + "' is declared as " + declared.text() + " but receives "
                    + given.text());
        }
    }

    /** {@code func.func @main} whose arguments are the graph inputs without an initializer, in order. */
    private Operation createFunction(GraphProto graph) {
        List<Type> argTypes = new ArrayList<>();
        List<String> argNames = new ArrayList<>();
        Set<String> inputNames = new LinkedHashSet<>();
        for (int i = 0; i < graph.getInputCount(); i++) {
            ValueInfoProto in = graph.getInput(i);
            if (in.getName().isEmpty()) {
                throw OnnxDiagnostics.error(model, "graph input #" + i + " has no name");
            }
            if (!inputNames.add(in.getName())) {
                throw OnnxDiagnostics.error(model, "graph input '" + in.getName() + "' is listed twice");
            }
            if (isInitializer(in.getName())) {
                continue; // an overridable default: imported as the constant (see docs/onnx.md)
            }
            argTypes.add(valueType(in, "graph input"));
            argNames.add(in.getName());
        }
        String graphName = graph.getName().isEmpty() ? FUNCTION_NAME : graph.getName();
        Operation fn = FuncOps.createFunc(FUNCTION_NAME, FunctionType.of(argTypes, List.of()), Location.name(graphName));
        if (!graph.getName().isEmpty()) {
            fn.setAttr(OnnxImporter.GRAPH_NAME_ATTR, new StringAttr(graph.getName()));
        }
        Block body = FuncOps.body(fn);
        for (int i = 0; i < argNames.size(); i++) {
            body.argument(i).setNameHint(argNames.get(i));
            scope.values.put(argNames.get(i), body.argument(i));
        }
        return fn;
    }

    /** Arguments whose value the caller gave ({@link ImportOptions#inputValues}) may be frozen by converters. */
    private void offerInputValues(Block body) {
        for (BlockArgument arg : body.arguments()) {
            DenseElementsAttr known = inputValues.get(arg.nameHint());
            if (known == null) {
                continue;
            }
            if (!(arg.type() instanceof TensorType t) || !known.type().isCompatibleWith(t)) {
                throw OnnxDiagnostics.error(model, "the value given for graph input '" + arg.nameHint() + "' is "
                        + known.type().text() + " but the input is declared as " + arg.type().text());
            }
            ctx.allowFreezing(arg, known);
        }
    }

    /** Frozen inputs are constants now: their arguments go, and the function lists their names. */
    private void removeFrozenArguments(Operation fn) {
        Map<BlockArgument, Value> frozen = ctx.frozenArguments();
        if (frozen.isEmpty()) {
            return;
        }
        List<Attribute> names = new ArrayList<>();
        Block body = FuncOps.body(fn);
        for (int i = body.numArguments() - 1; i >= 0; i--) {
            BlockArgument arg = body.argument(i);
            Value constant = frozen.get(arg);
            if (constant != null) {
                arg.replaceAllUsesWith(constant);
                body.eraseArgument(i);
                names.add(0, new StringAttr(arg.nameHint()));
                if (!constant.hasUses() && constant instanceof OpResult r) {
                    r.owner().erase(); // its value was all the converter needed
                }
            }
        }
        fn.setAttr(OnnxImporter.FROZEN_INPUTS_ATTR, new ArrayAttr(names));
    }

    private void collectInitializers(GraphProto graph) {
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw OnnxDiagnostics.error(model, "an initializer of the graph has no name");
            }
            if (scope.initializers.putIfAbsent(t.getName(), t) != null) {
                throw OnnxDiagnostics.error(model, "initializer '" + t.getName() + "' is defined twice");
            }
        }
        for (SparseTensorProto s : graph.getSparseInitializerList()) {
            String name = s.getValues().getName();
            if (name.isEmpty() || scope.initializers.containsKey(name)
                    || scope.sparseInitializers.putIfAbsent(name, s) != null) {
                throw OnnxDiagnostics.error(model, "sparse initializer '" + name + "' has no name or is defined twice");
            }
        }
    }

    /** Whether the graph being imported (not an enclosing one) has an initializer {@code name}. */
    private boolean isInitializer(String name) {
        return scope.initializers.containsKey(name) || scope.sparseInitializers.containsKey(name);
    }

    private Type valueType(ValueInfoProto info, String what) {
        try {
            return OnnxTypes.valueType(info.hasType() ? info.getType() : null);
        } catch (IllegalArgumentException e) {
            throw OnnxDiagnostics.error(model, what + " '" + info.getName() + "' " + e.getMessage());
        }
    }

    /**
     * The value of {@code name}: defined already, or an initializer made a constant now; null if
     * neither. The innermost scope that knows the name wins.
     */
    private Value lookup(String name) {
        for (Scope sc = scope; sc != null; sc = sc.parent) {
            Value v = sc.values.get(name);
            if (v != null) {
                return v;
            }
            TensorProto t = sc.initializers.get(name);
            SparseTensorProto s = sc.sparseInitializers.get(name);
            if (t == null && s == null) {
                continue;
            }
            String what = (t != null ? "initializer '" : "sparse initializer '") + name + "'";
            RawTensor raw = t != null ? decoder.decode(t, model, what) : decoder.densify(s, model, what);
            v = ctx.constant(raw, name, Location.name(name));
            sc.values.put(name, v);
            return v;
        }
        return null;
    }

    private void convertNode(GraphProto graph, int index) {
        NodeProto n = graph.getNode(index);
        String where = OnnxDiagnostics.at(model, n.getName().isEmpty() ? n.getOpType() + "#" + index : n.getName());
        if (n.getOpType().isEmpty()) {
            throw OnnxDiagnostics.error(where, "node #" + index + " has no op_type");
        }
        List<Value> inputs = new ArrayList<>();
        for (String name : n.getInputList()) {
            inputs.add(name.isEmpty() ? null : resolveInput(name, index, where));
        }
        String domain = OnnxImporter.normalizeDomain(n.getDomain());
        OnnxNode node = new OnnxNode(n, index, model, opsets.getOrDefault(domain, 0), inputs, decoder);
        OnnxOpConverter converter = registry.lookup(domain, n.getOpType());
        if (converter == null) {
            throw unsupportedOp(node, graph);
        }
        ctx.setNode(node);
        List<Value> outputs;
        try {
            outputs = ImportTimeFolding.foldOutputs(ctx, converter.convert(node, ctx));
        } catch (DiagnosticException e) {
            throw e;
        } catch (InvalidOpException e) {
            throw node.error(e.getMessage());
        } catch (RuntimeException e) { // a converter bug must still read as a located diagnostic
            throw OnnxDiagnostics.error(where, "internal error converting " + node.describe() + ": " + e);
        }
        defineOutputs(node, outputs);
    }

    private Value resolveInput(String name, int index, String where) {
        Value v = lookup(name);
        if (v != null) {
            return v;
        }
        Integer producer = scope.producers.get(name);
        if (producer != null && producer >= index) {
            throw OnnxDiagnostics.error(where, "input '" + name + "' is produced by node #" + producer
                    + (producer == index ? " itself" : ", which comes later")
                    + "; ONNX graphs must list nodes in topological order (does the graph have a cycle?)");
        }
        throw OnnxDiagnostics.error(where, "input '" + name
                + "' is not defined: no graph input, initializer or earlier node produces it");
    }

    private void defineOutputs(OnnxNode node, List<Value> outputs) {
        List<String> names = node.outputNames();
        if (outputs == null || outputs.size() > names.size()) {
            throw OnnxDiagnostics.error(node.where(), "internal error: the converter of " + node.opType() + " returned "
                    + (outputs == null ? "nothing" : outputs.size() + " values") + " for " + names.size() + " outputs");
        }
        for (int j = 0; j < names.size(); j++) {
            String name = names.get(j);
            if (name.isEmpty()) {
                continue;
            }
            Value v = j < outputs.size() ? outputs.get(j) : null;
            if (v == null) {
                throw node.unsupported("output #" + j + " ('" + name + "') is not computed by Lathe's converter");
            }
            if (scope.values.containsKey(name) || isInitializer(name)) {
                throw OnnxDiagnostics.error(node.where(), "value '" + name
                        + "' is defined twice (a graph input, initializer or earlier node already defines it)");
            }
            if (v.nameHint() == null) {
                v.setNameHint(name);
            }
            scope.values.put(name, v);
        }
    }

    /** A declared output type must agree with what the graph computes (a converter bug otherwise). */
    private void checkDeclaredType(ValueInfoProto out, Value v) {
        Type declared;
        try {
            declared = OnnxTypes.valueType(out.getType());
        } catch (IllegalArgumentException e) {
            return; // outputs may leave their type or rank open
        }
        if (!ValueTypes.isCompatible(v.type(), declared) && !ValueTypes.isCompatible(declared, v.type())) {
            throw OnnxDiagnostics.error(model, "graph output '" + out.getName() + "' is declared as " + declared.text()
                    + " but the graph computes " + v.type().text());
        }
    }

    private DiagnosticException unsupportedOp(OnnxNode node, GraphProto graph) {
        String supported = String.join(", ", registry.opTypes());
        String message = "unsupported " + node.describe() + "; "
                + (node.domain().equals(OnnxImporter.DEFAULT_DOMAIN)
                        ? "supported ops: " + supported
                        : "Lathe converts only ops of the default domain '" + OnnxImporter.DEFAULT_DOMAIN + "': " + supported);
        Set<String> others = new LinkedHashSet<>();
        for (NodeProto n : graph.getNodeList()) {
            String domain = OnnxImporter.normalizeDomain(n.getDomain());
            boolean same = n.getOpType().equals(node.opType()) && domain.equals(node.domain());
            if (!same && registry.lookup(domain, n.getOpType()) == null) {
                others.add("'" + n.getOpType() + "'" + (domain.equals(OnnxImporter.DEFAULT_DOMAIN) ? "" : " (" + domain + ")"));
            }
        }
        if (!others.isEmpty()) {
            message += "; the model also uses unsupported ops " + String.join(", ", others);
        }
        return OnnxDiagnostics.error(node.where(), message);
    }
}
