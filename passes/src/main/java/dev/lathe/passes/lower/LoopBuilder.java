package dev.lathe.passes.lower;

import dev.lathe.ir.Block;
import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.loop.LoopOps;
import dev.lathe.ir.type.MemRefType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.VectorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Appends {@code loop} ops to a block, like MLIR's OpBuilder: arithmetic helpers return the
 * result value, structured helpers ({@link #forRange}, {@link #parallel}, {@link #ifThen}) take
 * the body as a lambda that receives a builder positioned inside it. Index constants are cached
 * per block so a kernel does not repeat them.
 */
public final class LoopBuilder {

    private final Block block;
    private final Location location;
    private final LoopBuilder parent;
    private final Map<Long, Value> indexConstants = new HashMap<>();
    /** Prefixed to every assertion message: where the failing op is, e.g. {@code "m.onnx:Gather#3: 'nn.gather': "}. */
    private final String assertContext;

    public LoopBuilder(Block block, Location location) {
        this(block, location, null, "");
    }

    /** A builder whose assertions name {@code op}, at {@code location}, in their messages. */
    public LoopBuilder(Block block, Location location, String op) {
        this(block, location, null, (location == Location.UNKNOWN ? "" : location + ": ") + "'" + op + "': ");
    }

    private LoopBuilder(Block block, Location location, LoopBuilder parent, String assertContext) {
        this.block = block;
        this.location = location;
        this.parent = parent;
        this.assertContext = assertContext;
    }

    public Block block() {
        return block;
    }

    public Location location() {
        return location;
    }

    /** Appends an op and returns it. */
    public Operation create(String name, List<? extends Value> operands, List<? extends Type> resultTypes,
            Map<String, Attribute> attributes, int regions) {
        Operation op = Operation.create(name, operands, resultTypes, attributes, regions, location);
        block.append(op);
        return op;
    }

    private Value op(String name, Type result, Value... operands) {
        return create(name, List.of(operands), List.of(result), Map.of(), 0).result();
    }

    // ---- constants

    /** An index constant; one defined in an enclosing block is reused (it dominates this one). */
    public Value index(long value) {
        for (LoopBuilder b = this; b != null; b = b.parent) {
            Value v = b.indexConstants.get(value);
            if (v != null) {
                return v;
            }
        }
        Value v = constantOp(ScalarType.INDEX, new IntegerAttr(value, ScalarType.INDEX));
        indexConstants.put(value, v);
        return v;
    }

    /** A scalar of {@code type}; floats take {@code value} as is, integers its truncation. */
    public Value constant(ScalarType type, double value) {
        Attribute attr = type.isFloat() ? new FloatAttr(value, type) : new IntegerAttr(integerBits(type, (long) value), type);
        return constantOp(type, attr);
    }

    /** A scalar or splat vector with the exact integer value (or its float rounding). */
    public Value constant(Type type, long value) {
        ScalarType et = VectorType.scalarOf(type);
        Attribute attr = et.isFloat() ? new FloatAttr(value, et) : new IntegerAttr(integerBits(et, value), et);
        return constantOp(type, attr);
    }

    /** A splat vector or scalar of {@code type} with a float value. */
    public Value constant(Type type, double value) {
        ScalarType et = VectorType.scalarOf(type);
        Attribute attr = et.isFloat() ? new FloatAttr(value, et) : new IntegerAttr(integerBits(et, (long) value), et);
        return constantOp(type, attr);
    }

    private static long integerBits(ScalarType t, long v) {
        return t == ScalarType.I1 ? (v != 0 ? 1 : 0) : v;
    }

    private Value constantOp(Type type, Attribute value) {
        return create(LoopOps.CONSTANT, List.of(), List.of(type), Map.of("value", value), 0).result();
    }

    // ---- arithmetic (operands share one scalar or vector type)

    public Value binary(String opName, Value a, Value b) {
        return op(opName, a.type(), a, b);
    }

    public Value unary(String opName, Value x) {
        return op(opName, x.type(), x);
    }

    public Value add(Value a, Value b) {
        return binary("loop.add", a, b);
    }

    public Value sub(Value a, Value b) {
        return binary("loop.sub", a, b);
    }

    public Value mul(Value a, Value b) {
        return binary("loop.mul", a, b);
    }

    public Value div(Value a, Value b) {
        return binary("loop.div", a, b);
    }

    public Value rem(Value a, Value b) {
        return binary("loop.rem", a, b);
    }

    public Value min(Value a, Value b) {
        return binary("loop.min", a, b);
    }

    public Value max(Value a, Value b) {
        return binary("loop.max", a, b);
    }

    public Value fma(Value a, Value b, Value c) {
        return op(LoopOps.FMA, a.type(), a, b, c);
    }

    /** {@code a <predicate> b} as i1 (or a vector of i1). */
    public Value cmp(String predicate, Value a, Value b) {
        Type result = VectorType.withElement(a.type(), ScalarType.I1);
        return create(LoopOps.CMP, List.of(a, b), List.of(result), Map.of("predicate", new StringAttr(predicate)), 0)
                .result();
    }

    public Value select(Value cond, Value ifTrue, Value ifFalse) {
        return op(LoopOps.SELECT, ifTrue.type(), cond, ifTrue, ifFalse);
    }

    /** Converts to {@code to} (a scalar element type; vectors keep their length). */
    public Value cast(Value x, ScalarType to) {
        Type result = VectorType.withElement(x.type(), to);
        return result == x.type() ? x : op(LoopOps.CAST, result, x);
    }

    public Value bitcast(Value x, ScalarType to) {
        return op(LoopOps.BITCAST, VectorType.withElement(x.type(), to), x);
    }

    public Value broadcast(Value scalar, int lanes) {
        return op(LoopOps.BROADCAST, VectorType.of(lanes, (ScalarType) scalar.type()), scalar);
    }

    public Value reduce(String kind, Value vector) {
        return create(LoopOps.REDUCE, List.of(vector), List.of(((VectorType) vector.type()).elementType()),
                Map.of("kind", new StringAttr(kind)), 0).result();
    }

    public Value isNan(Value x) {
        return op("loop.is_nan", VectorType.withElement(x.type(), ScalarType.I1), x);
    }

    // ---- memory

    public Value load(Value buffer, List<Value> indices) {
        return create(LoopOps.LOAD, concat(buffer, indices), List.of(elementType(buffer)), Map.of(), 0).result();
    }

    public void store(Value value, Value buffer, List<Value> indices) {
        List<Value> operands = new ArrayList<>();
        operands.add(value);
        operands.addAll(concat(buffer, indices));
        create(LoopOps.STORE, operands, List.of(), Map.of(), 0);
    }

    public Value vload(Value buffer, List<Value> indices, int lanes) {
        return create(LoopOps.VLOAD, concat(buffer, indices), List.of(VectorType.of(lanes, elementType(buffer))), Map.of(), 0)
                .result();
    }

    public void vstore(Value vector, Value buffer, List<Value> indices) {
        List<Value> operands = new ArrayList<>();
        operands.add(vector);
        operands.addAll(concat(buffer, indices));
        create(LoopOps.VSTORE, operands, List.of(), Map.of(), 0);
    }

    /**
     * A read prefetch of the cache line holding {@code buffer[indices]} into the cache levels
     * {@code locality} names (3: all, 2: L2 and out, 1: L3 and out, 0: no reuse); the indices
     * may lie outside the buffer.
     */
    public void prefetch(Value buffer, List<Value> indices, int locality) {
        create(LoopOps.PREFETCH, concat(buffer, indices), List.of(),
                locality == 3 ? Map.of() : Map.of("locality", new IntegerAttr(locality, ScalarType.I64)), 0);
    }

    public Value alloca(MemRefType type) {
        return create(LoopOps.ALLOCA, List.of(), List.of(type), Map.of(), 0).result();
    }

    public static ScalarType elementType(Value buffer) {
        return ((MemRefType) buffer.type()).elementType();
    }

    private static List<Value> concat(Value first, List<Value> rest) {
        List<Value> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    // ---- control

    /** {@code for (iv = lb; iv < ub; iv += step) body(b, iv)}. */
    public void forRange(Value lb, Value ub, Value step, BiConsumerBuilder body) {
        forRange(lb, ub, step, List.of(), (b, iv, carried) -> {
            body.accept(b, iv);
            return List.of();
        });
    }

    public void forRange(long lb, long ub, long step, BiConsumerBuilder body) {
        forRange(index(lb), index(ub), index(step), body);
    }

    /** A loop carrying values: the body returns the next ones; returns the final ones. */
    public List<Value> forRange(Value lb, Value ub, Value step, List<Value> inits, CarriedBody body) {
        List<Value> operands = new ArrayList<>(List.of(lb, ub, step));
        operands.addAll(inits);
        List<Type> types = inits.stream().map(Value::type).toList();
        Operation loop = create(LoopOps.FOR, operands, types, Map.of(), 1);
        List<Type> argTypes = new ArrayList<>();
        argTypes.add(ScalarType.INDEX);
        argTypes.addAll(types);
        Block bodyBlock = loop.region(0).addBlock(new Block(argTypes));
        LoopBuilder inner = nested(bodyBlock);
        List<Value> next = body.build(inner, bodyBlock.argument(0),
                List.copyOf(bodyBlock.arguments().subList(1, bodyBlock.numArguments())));
        inner.yield(next);
        return List.copyOf(loop.results());
    }

    public Value forRange(long lb, long ub, long step, Value init, BiFunction<LoopBuilder, Value[], Value> body) {
        return forRange(index(lb), index(ub), index(step), List.of(init),
                (b, iv, carried) -> List.of(body.apply(b, new Value[] {iv, carried.get(0)}))).get(0);
    }

    /** Iterations independent; {@code grain} = least iterations worth one task. */
    public void parallel(Value lb, Value ub, Value step, long grain, BiConsumerBuilder body) {
        Map<String, Attribute> attrs = grain > 1 ? Map.of("grain", IntegerAttr.of(grain)) : Map.of();
        Operation loop = create(LoopOps.PARALLEL, List.of(lb, ub, step), List.of(), attrs, 1);
        Block bodyBlock = loop.region(0).addBlock(new Block(List.of(ScalarType.INDEX)));
        LoopBuilder inner = nested(bodyBlock);
        body.accept(inner, bodyBlock.argument(0));
        inner.yield(List.of());
    }

    public void parallel(long lb, long ub, long step, long grain, BiConsumerBuilder body) {
        parallel(index(lb), index(ub), index(step), grain, body);
    }

    /** Runs {@code then} when {@code cond} holds. */
    public void ifThen(Value cond, Consumer<LoopBuilder> then) {
        Operation op = create(LoopOps.IF, List.of(cond), List.of(), Map.of(), 2);
        LoopBuilder inner = nested(op.region(0).addBlock(new Block()));
        then.accept(inner);
        inner.yield(List.of());
    }

    /** A value chosen by running one of two regions. */
    public List<Value> ifElse(Value cond, List<Type> resultTypes, java.util.function.Function<LoopBuilder, List<Value>> then,
            java.util.function.Function<LoopBuilder, List<Value>> otherwise) {
        Operation op = create(LoopOps.IF, List.of(cond), resultTypes, Map.of(), 2);
        LoopBuilder t = nested(op.region(0).addBlock(new Block()));
        t.yield(then.apply(t));
        LoopBuilder e = nested(op.region(1).addBlock(new Block()));
        e.yield(otherwise.apply(e));
        return List.copyOf(op.results());
    }

    public void yield(List<Value> values) {
        create(LoopOps.YIELD, values, List.of(), Map.of(), 0);
    }

    /** Fails the call with {@code message} when {@code cond} is false (execution goes on: clamp too). */
    public void assertTrue(Value cond, String message) {
        create(LoopOps.ASSERT, List.of(cond), List.of(), Map.of("message", new StringAttr(assertContext + message)), 0);
    }

    /** A nest of sequential loops over {@code shape}, row-major; the body gets one index per dim. */
    public void forEachIndex(long[] shape, IndexBody body) {
        nest(this, shape, 0, new Value[shape.length], body);
    }

    private static void nest(LoopBuilder b, long[] shape, int dim, Value[] ivs, IndexBody body) {
        if (dim == shape.length) {
            body.accept(b, Arrays.asList(ivs.clone()));
            return;
        }
        b.forRange(0, shape[dim], 1, (inner, iv) -> {
            ivs[dim] = iv;
            nest(inner, shape, dim + 1, ivs, body);
        });
    }

    /**
     * Loops over {@code shape} with the leading {@code parallelDims} dimensions flattened into one
     * {@code loop.parallel} (indices recovered by div/rem), the rest sequential inside.
     */
    public void parallelEachIndex(long[] shape, int parallelDims, long grain, IndexBody body) {
        if (parallelDims == 0 || shape.length == 0) {
            forEachIndex(shape, body);
            return;
        }
        long outer = 1;
        for (int d = 0; d < parallelDims; d++) {
            outer *= shape[d];
        }
        long[] inner = Arrays.copyOfRange(shape, parallelDims, shape.length);
        parallel(0, outer, 1, grain, (b, flat) -> {
            List<Value> lead = b.delinearize(flat, Arrays.copyOf(shape, parallelDims));
            b.forEachIndex(inner, (ib, rest) -> {
                List<Value> all = new ArrayList<>(lead);
                all.addAll(rest);
                body.accept(ib, all);
            });
        });
    }

    /** Row-major indices of {@code flat} in {@code shape}. */
    public List<Value> delinearize(Value flat, long[] shape) {
        Value[] out = new Value[shape.length];
        Value rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (d == 0) {
                out[d] = rest;
            } else {
                out[d] = rem(rest, index(shape[d]));
                rest = div(rest, index(shape[d]));
            }
        }
        return Arrays.asList(out);
    }

    /**
     * The indices into an operand of {@code shape} at the result index {@code full}, by numpy
     * broadcasting: the operand's dims align right with the result's, and a size-1 dim reads 0.
     * A new mutable list.
     */
    public List<Value> broadcastIndex(long[] shape, List<Value> full) {
        List<Value> idx = new ArrayList<>(shape.length);
        int offset = full.size() - shape.length;
        for (int d = 0; d < shape.length; d++) {
            idx.add(shape[d] == 1 ? index(0) : full.get(d + offset));
        }
        return idx;
    }

    /** {@code sum(idx[i] * stride[i])}. */
    public Value linearize(List<Value> indices, long[] shape) {
        Value acc = index(0);
        for (int d = 0; d < indices.size(); d++) {
            acc = d == 0 ? indices.get(0) : add(mul(acc, index(shape[d])), indices.get(d));
        }
        return acc;
    }

    /** A builder appending to {@code other}, a block nested in this one's. */
    public LoopBuilder nested(Block other) {
        return new LoopBuilder(other, location, this, assertContext);
    }

    @FunctionalInterface
    public interface BiConsumerBuilder {
        void accept(LoopBuilder b, Value iv);
    }

    @FunctionalInterface
    public interface CarriedBody {
        List<Value> build(LoopBuilder b, Value iv, List<Value> carried);
    }

    @FunctionalInterface
    public interface IndexBody {
        void accept(LoopBuilder b, List<Value> indices);
    }
}
