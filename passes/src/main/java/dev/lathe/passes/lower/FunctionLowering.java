package dev.lathe.passes.lower;

import dev.lathe.costmodel.CostModel;
import dev.lathe.costmodel.MachineModel;
import dev.lathe.ir.Block;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.loop.LoopOps;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.interp.Signature;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lowers one {@code nn} function to {@code @main} plus one kernel per op (docs/lowering.md):
 * tensors become buffers (arguments, {@code loop.weight}, {@code loop.alloc}, {@code loop.view}),
 * each op's lowering fills its kernel, {@code @main} calls the kernels in order. Results are
 * written into the caller's output buffers directly when possible.
 */
final class FunctionLowering {

    /** One reason the function could not be lowered, at the op it concerns. */
    record Failure(Location location, String message) {}

    private final Module module;
    private final Operation source;
    private final Lowerings lowerings;
    private final CostModel costModel;
    private final MachineModel machine;
    private final List<Failure> failures = new ArrayList<>();

    private final Map<Value, Value> bufferOf = new HashMap<>();
    /** The {@code memref<i64>} holding the extent of each bounded (data-dependent) result. */
    private final Map<Value, Value> extentOf = new HashMap<>();
    /** Per output argument (by output index) of a bounded result, its extent output's index. */
    private final Map<Integer, Integer> extentOutputOf = new HashMap<>();
    /** The buffer each buffer's bytes belong to (itself, or what it views). */
    private final Map<Value, Value> rootOf = new HashMap<>();
    /** Tensors stored in each root buffer, for the in-place check. */
    private final Map<Value, List<Value>> tensorsIn = new HashMap<>();
    private final Map<Value, Integer> lastUse = new HashMap<>();
    private final Set<Value> ownedRoots = new HashSet<>();

    private Operation main;
    private Block mainBody;
    private LoopBuilder mainBuilder;
    private int kernelCount;
    /**
     * The kernels emitted so far, by {@link KernelIdentity#hash}: a kernel that comes out
     * identical to an earlier one (the repeated layers of a transformer) is not kept, its call
     * goes to the earlier one, so LLVM compiles each distinct body once.
     */
    private final Map<Integer, List<Operation>> kernelsByHash = new HashMap<>();
    private long counterKernels;
    private long counterShared;
    private long counterViews;
    private long counterInPlace;

    FunctionLowering(Module module, Operation source, Lowerings lowerings, CostModel costModel, MachineModel machine) {
        this.module = module;
        this.source = source;
        this.lowerings = lowerings;
        this.costModel = costModel;
        this.machine = machine;
    }

    List<Failure> failures() {
        return failures;
    }

    long kernels() {
        return counterKernels;
    }

    /** Kernels not kept because an identical one was already emitted. */
    long shared() {
        return counterShared;
    }

    long views() {
        return counterViews;
    }

    long inPlace() {
        return counterInPlace;
    }

    /** Builds {@code @main} and the kernels; on failure leaves the module to be discarded. */
    Operation run() {
        Signature sig = Signature.of(source);
        FunctionType type = FuncOps.type(source);
        List<Type> args = new ArrayList<>();
        for (Signature.Port p : sig.inputs()) {
            args.add(buffer(p.type(), source.location(), "input '" + p.name() + "'"));
        }
        // the returned values' types: inference may have refined them past the declared signature
        Operation ret = FuncOps.body(source).terminator();
        List<String> outputNames = new ArrayList<>(sig.outputNames());
        List<Attribute> bounded = new ArrayList<>();
        for (int j = 0; j < sig.outputs().size(); j++) {
            Value v = ret != null && j < ret.numOperands() ? ret.operand(j) : null;
            Type t = v != null ? v.type() : sig.outputs().get(j).type();
            TensorType bound = v != null ? boundOf(v) : null;
            if (bound != null) {
                // data-dependent shape: the bound's buffer, plus an i64 extent output at the end
                args.add(MemRefType.of(bound));
                extentOutputOf.put(j, outputNames.size());
                bounded.add(new ArrayAttr(List.of(IntegerAttr.of(j), IntegerAttr.of(dynamicDim((TensorType) t)),
                        IntegerAttr.of(outputNames.size()))));
                outputNames.add(sig.outputs().get(j).name() + "_extent");
            } else {
                Value origin = v != null ? dataDependentOrigin(v, new HashSet<>()) : null;
                if (origin != null) {
                    onlyReturned(((OpResult) origin).owner(), ((OpResult) origin).index());
                }
                args.add(buffer(t, source.location(), "output '" + sig.outputs().get(j).name() + "'"));
            }
        }
        for (int k = 0; k < bounded.size(); k++) {
            args.add(MemRefType.of(ScalarType.I64));
        }
        if (!failures.isEmpty()) {
            return null;
        }
        main = FuncOps.createFunc("main", FunctionType.of(args, List.of()), source.location());
        main.setAttr("inputs", names(sig.inputNames()));
        main.setAttr("outputs", names(outputNames));
        if (!bounded.isEmpty()) {
            main.setAttr("bounded_outputs", new ArrayAttr(bounded));
        }
        mainBody = FuncOps.body(main);
        List<String> portNames = new ArrayList<>(sig.inputNames());
        portNames.addAll(outputNames);
        for (int i = 0; i < portNames.size(); i++) {
            if (portNames.get(i).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                mainBody.argument(i).setNameHint(portNames.get(i));
            }
        }
        mainBuilder = new LoopBuilder(mainBody, source.location());
        Block body = FuncOps.body(source);
        for (int i = 0; i < type.inputs().size(); i++) {
            bind(body.argument(i), mainBody.argument(i), false);
        }
        List<Operation> ops = body.operations();
        for (int k = 0; k < ops.size(); k++) {
            for (Value v : ops.get(k).operands()) {
                lastUse.put(v, k);
            }
        }
        for (int k = 0; k < ops.size(); k++) {
            Operation op = ops.get(k);
            if (op.isA(FuncOps.RETURN)) {
                bindOutputs(op, type.inputs().size());
            } else if (NnConstants.isConstant(op)) {
                lowerConstant(op);
            } else {
                lowerOp(op, k);
            }
        }
        if (!failures.isEmpty()) {
            return null;
        }
        mainBody.append(FuncOps.createReturn(List.of(), source.location()));
        for (Operation w : List.copyOf(mainBody.operations())) {
            if (w.isA(LoopOps.WEIGHT) && !w.result().hasUses()) {
                w.erase(); // read only at compile time (a constant operand)
            }
        }
        return main;
    }

    private static ArrayAttr names(List<String> names) {
        List<Attribute> attrs = new ArrayList<>();
        for (String n : names) {
            attrs.add(new StringAttr(n));
        }
        return new ArrayAttr(attrs);
    }

    /** The static bound of a data-dependent result its op's lowering can write, or null. */
    private TensorType boundOf(Value v) {
        if (!(v instanceof OpResult r) || !(v.type() instanceof TensorType t) || t.hasStaticShape() || dynamicDim(t) < 0) {
            return null;
        }
        OpLowering lowering = lowerings.lookup(r.owner().name()).orElse(null);
        if (lowering == null || r.owner().operands().stream().anyMatch(
                o -> !(o.type() instanceof TensorType ot) || !ot.hasStaticShape())) {
            return null;
        }
        return lowering.resultBound(r.owner(), r.index());
    }

    /** A data-dependent result that {@code v}'s dynamic shape comes from, or null. */
    private Value dataDependentOrigin(Value v, Set<Value> seen) {
        if (!seen.add(v) || !(v.type() instanceof TensorType t) || t.hasStaticShape() || !(v instanceof OpResult r)) {
            return null;
        }
        if (boundOf(v) != null) {
            return v;
        }
        for (Value operand : r.owner().operands()) {
            Value origin = dataDependentOrigin(operand, seen);
            if (origin != null) {
                return origin;
            }
        }
        return null;
    }

    /** The one dynamic dim of {@code t}, or -1 (none, or several). */
    private static int dynamicDim(TensorType t) {
        int dim = -1;
        for (int d = 0; d < t.rank(); d++) {
            if (t.isDynamic(d)) {
                if (dim >= 0) {
                    return -1;
                }
                dim = d;
            }
        }
        return dim;
    }

    private MemRefType buffer(Type t, Location loc, String what) {
        if (t instanceof TensorType tt && tt.hasStaticShape()) {
            return MemRefType.of(tt);
        }
        failures.add(new Failure(loc, what + " has type " + t.text()
                + "; lowering needs static tensor shapes (fix the input shapes first)"));
        return null;
    }

    private void bind(Value tensor, Value buf, boolean owned) {
        bufferOf.put(tensor, buf);
        Value root = rootOf.getOrDefault(buf, buf);
        rootOf.put(buf, root);
        tensorsIn.computeIfAbsent(root, r -> new ArrayList<>()).add(tensor);
        if (owned) {
            ownedRoots.add(root);
        }
    }

    private void lowerConstant(Operation op) {
        MemRefType t = buffer(op.result().type(), op.location(), "constant");
        if (t == null) {
            return;
        }
        Operation w = mainBuilder.create(LoopOps.WEIGHT, List.of(), List.of(t), Map.of("value", op.attr("value")), 0);
        bind(op.result(), w.result(), false);
    }

    private void lowerOp(Operation op, int index) {
        OpLowering lowering = lowerings.lookup(op.name()).orElse(null);
        if (lowering == null) {
            failures.add(new Failure(op.location(), "'" + op.name() + "' has no lowering to loops yet"));
            return;
        }
        if (!lowering.lowersRegions(op) && op.regions().stream().anyMatch(r -> !r.isEmpty())) {
            failures.add(new Failure(op.location(), "'" + op.name() + "' with regions is not lowered yet"));
            return;
        }
        Set<Integer> constants = lowering.constantOperands(op);
        Value[] operandBuffers = new Value[op.numOperands()];
        for (int i = 0; i < op.numOperands(); i++) {
            Value v = op.operand(i);
            if (constants.contains(i)) {
                if (KernelContext.constantValue(v, module) == null) {
                    failures.add(new Failure(op.location(), "operand #" + i + " of '" + op.name()
                            + "' must be a compile-time constant to lower; it is computed at run time"));
                    return;
                }
                continue;
            }
            if (buffer(v.type(), op.location(), "operand #" + i + " of '" + op.name() + "'") == null) {
                return;
            }
            operandBuffers[i] = bufferOf.get(v);
            if (operandBuffers[i] == null) {
                return; // its producer could not be lowered: reported there
            }
        }
        MemRefType[] resultTypes = new MemRefType[op.numResults()];
        Value[] extentBuffers = new Value[op.numResults()];
        for (int r = 0; r < op.numResults(); r++) {
            TensorType bound = boundOf(op.result(r));
            if (bound != null) {
                if (!onlyReturned(op, r)) {
                    return;
                }
                resultTypes[r] = MemRefType.of(bound);
                extentBuffers[r] = mainBuilder.create(LoopOps.ALLOC, List.of(), List.of(MemRefType.of(ScalarType.I64)),
                        Map.of(), 0).result();
                continue;
            }
            resultTypes[r] = buffer(op.result(r).type(), op.location(), "result #" + r + " of '" + op.name() + "'");
            if (resultTypes[r] == null) {
                return;
            }
        }
        if (lowering.isView(op)) {
            Operation view = mainBuilder.create(LoopOps.VIEW, List.of(operandBuffers[0]), List.of(resultTypes[0]), Map.of(), 0);
            bind(op.result(), view.result(), false);
            rootOf.put(view.result(), rootOf.get(operandBuffers[0]));
            tensorsIn.get(rootOf.get(operandBuffers[0])).add(op.result());
            counterViews++;
            return;
        }
        Value[] resultBuffers = new Value[op.numResults()];
        for (int r = 0; r < op.numResults(); r++) {
            if (r == 0 && lowering.mayRunInPlace(op) && canReuse(op.operand(0), operandBuffers[0], resultTypes[0], index)) {
                resultBuffers[r] = operandBuffers[0];
                counterInPlace++;
            } else {
                resultBuffers[r] = mainBuilder.create(LoopOps.ALLOC, List.of(), List.of(resultTypes[r]), Map.of(), 0).result();
            }
        }
        emitKernel(op, lowering, operandBuffers, resultBuffers, extentBuffers, constants);
        for (int r = 0; r < op.numResults(); r++) {
            bind(op.result(r), resultBuffers[r], true);
            if (extentBuffers[r] != null) {
                extentOf.put(op.result(r), extentBuffers[r]);
                ownedRoots.add(extentBuffers[r]);
            }
        }
    }

    /**
     * A data-dependent result may only be returned: the code after it is compiled for static
     * shapes, and its shape is known only when the kernel has run.
     */
    private boolean onlyReturned(Operation op, int r) {
        for (var use : op.result(r).uses()) {
            if (!use.owner().isA(FuncOps.RETURN)) {
                failures.add(new Failure(op.location(), "result #" + r + " of '" + op.name() + "' has a data-dependent shape ("
                        + op.result(r).type().text() + ") and feeds '" + use.owner().name() + "'; such a result can only be"
                        + " returned from the function (lowered code has static shapes; see docs/lowering.md#data-dependent-shapes)"));
                return false;
            }
        }
        return true;
    }

    /** Result 0 may take operand 0's buffer when every tensor stored there dies at this op. */
    private boolean canReuse(Value operand, Value operandBuffer, MemRefType resultType, int index) {
        if (operandBuffer == null || operandBuffer.type() != resultType) {
            return false;
        }
        Value root = rootOf.get(operandBuffer);
        if (root != operandBuffer || !ownedRoots.contains(root)) {
            return false;
        }
        for (Value t : tensorsIn.get(root)) {
            if (lastUse.getOrDefault(t, -1) > index) {
                return false;
            }
        }
        return lastUse.getOrDefault(operand, -1) == index;
    }

    private void emitKernel(Operation op, OpLowering lowering, Value[] operandBuffers, Value[] resultBuffers,
            Value[] extentBuffers, Set<Integer> constants) {
        List<Value> callArgs = new ArrayList<>();
        for (Value b : operandBuffers) {
            if (b != null) {
                callArgs.add(b);
            }
        }
        callArgs.addAll(List.of(resultBuffers));
        for (Value e : extentBuffers) {
            if (e != null) {
                callArgs.add(e);
            }
        }
        String name = "k" + kernelCount++ + "_" + op.name().substring(op.name().indexOf('.') + 1);
        Operation kernel = FuncOps.createFunc(name,
                FunctionType.of(callArgs.stream().map(Value::type).toList(), List.of()), op.location());
        Block kb = FuncOps.body(kernel);
        Value[] kernelOperands = new Value[operandBuffers.length];
        int a = 0;
        for (int i = 0; i < operandBuffers.length; i++) {
            if (operandBuffers[i] != null) {
                kernelOperands[i] = kb.argument(a++);
            }
        }
        Value[] kernelResults = new Value[resultBuffers.length];
        for (int r = 0; r < resultBuffers.length; r++) {
            kernelResults[r] = kb.argument(a++);
        }
        Value[] kernelExtents = new Value[extentBuffers.length];
        for (int r = 0; r < extentBuffers.length; r++) {
            if (extentBuffers[r] != null) {
                kernelExtents[r] = kb.argument(a++);
            }
        }
        List<Value> scratchAllocs = new ArrayList<>();
        KernelContext cx = new KernelContext(op, module, kb, kernelOperands, kernelResults, kernelExtents, constants, t -> {
            Value s = mainBuilder.create(LoopOps.ALLOC, List.of(), List.of(t), Map.of(), 0).result();
            scratchAllocs.add(s);
            return s;
        }, value -> {
            // a weight made by the lowering (e.g. packed panels) travels with the scratch arguments, in request order
            Value w = mainBuilder.create(LoopOps.WEIGHT, List.of(), List.of(MemRefType.of(value.type())),
                    Map.of("value", value), 0).result();
            scratchAllocs.add(w);
            return w;
        }, costModel, machine);
        try {
            lowering.lower(cx);
        } catch (LoweringException e) {
            failures.add(new Failure(op.location(), e.getMessage()));
            return;
        }
        kb.append(FuncOps.createReturn(List.of(), op.location()));
        callArgs.addAll(scratchAllocs);
        FuncOps.setType(kernel, FunctionType.of(callArgs.stream().map(Value::type).toList(), List.of()));
        mainBody.append(FuncOps.createCall(keep(kernel, name), callArgs, List.of(), op.location()));
        counterKernels++;
    }

    /** Returned tensors go to the output arguments: their buffer becomes the argument, or is copied. */
    private void bindOutputs(Operation ret, int firstOutput) {
        Set<Value> claimed = new HashSet<>();
        for (int j = 0; j < ret.numOperands(); j++) {
            Value buf = bufferOf.get(ret.operand(j));
            Value out = mainBody.argument(firstOutput + j);
            if (buf == null) {
                continue; // its producer failed to lower; already reported
            }
            bindOutput(buf, out, claimed, ret);
            Integer extentOutput = extentOutputOf.get(j);
            if (extentOutput != null) {
                bindOutput(extentOf.get(ret.operand(j)), mainBody.argument(firstOutput + extentOutput), claimed, ret);
            }
        }
    }

    private void bindOutput(Value buf, Value out, Set<Value> claimed, Operation ret) {
        if (buf instanceof OpResult r && r.owner().isA(LoopOps.ALLOC) && ownedRoots.contains(buf) && claimed.add(buf)) {
            buf.replaceAllUsesWith(out);
            r.owner().erase();
        } else {
            emitCopy(buf, out, ret.location());
        }
    }

    private void emitCopy(Value from, Value to, Location loc) {
        MemRefType t = (MemRefType) to.type();
        MemRefType flat = MemRefType.of(t.elementType(), t.numElements());
        Value src = mainBuilder.create(LoopOps.VIEW, List.of(from), List.of(flat), Map.of(), 0).result();
        Value dst = mainBuilder.create(LoopOps.VIEW, List.of(to), List.of(flat), Map.of(), 0).result();
        String name = "k" + kernelCount++ + "_copy";
        Operation kernel = FuncOps.createFunc(name, FunctionType.of(List.of(flat, flat), List.of()), loc);
        Block kb = FuncOps.body(kernel);
        LoopBuilder b = new LoopBuilder(kb, loc);
        b.parallel(0, flat.numElements(), 1, 4096, (ib, i) -> ib.store(ib.load(kb.argument(0), List.of(i)),
                kb.argument(1), List.of(i)));
        kb.append(FuncOps.createReturn(List.of(), loc));
        mainBody.append(FuncOps.createCall(keep(kernel, name), List.of(src, dst), List.of(), loc));
    }

    /**
     * Appends {@code kernel} (named {@code name}) to the module and returns its name, or, when an
     * identical kernel ({@link KernelIdentity}) was appended before, drops it and returns that
     * one's name.
     */
    private String keep(Operation kernel, String name) {
        List<Operation> candidates = kernelsByHash.computeIfAbsent(KernelIdentity.hash(kernel), h -> new ArrayList<>());
        for (Operation earlier : candidates) {
            if (KernelIdentity.same(earlier, kernel)) {
                counterShared++;
                return FuncOps.name(earlier);
            }
        }
        candidates.add(kernel);
        module.body().append(kernel);
        return name;
    }
}
