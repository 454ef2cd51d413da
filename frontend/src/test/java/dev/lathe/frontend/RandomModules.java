package dev.lathe.frontend;

import dev.lathe.ir.Block;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.Numbers;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.attr.SymbolRefAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.attr.UnitAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Random modules built through the IR API, for the round-trip property: functions and
 * declarations, generic ops with regions and blocks, multi-result ops, every attribute kind with
 * awkward values, odd name hints, every location kind and resource blobs.
 */
final class RandomModules {

    private static final ScalarType[] ELEMENTS = {ScalarType.F64, ScalarType.F32, ScalarType.F16, ScalarType.BF16,
            ScalarType.I64, ScalarType.I32, ScalarType.I16, ScalarType.I8, ScalarType.U8, ScalarType.I1};
    private static final String[] HINTS = {null, null, null, "x", "x", "x_1", "0", "12", "arg0", "arg1", "a b", "1x",
            "é", "w.t", "a-b", "$", "_", "%", "bb0"};
    private static final String[] STRINGS = {"", "plain", "q\"uote", "back\\slash", "nl\n", "tab\t",
            "\u0001\u001f\u007f",
            "café ☃ 😀", "// not a comment", "\"0x00\"", "#-}", "{-#"};

    private final Random random;
    private final Module module = Module.create(Location.of("random.lir", 1, 1));

    private RandomModules(long seed) {
        this.random = new Random(seed);
    }

    static Module generate(long seed) {
        return new RandomModules(seed).build();
    }

    private Module build() {
        for (int i = random.nextInt(3); i > 0; i--) {
            byte[] data = new byte[random.nextInt(64)];
            random.nextBytes(data);
            String name = pick("w", "w.1", "blob name", "builtin") + i;
            module.putResource(name, new ResourceBlob(data, 1 << random.nextInt(7)));
        }
        if (random.nextBoolean()) {
            module.op().setAttr("seed", IntegerAttr.of(random.nextLong()));
        }
        for (int f = 1 + random.nextInt(3); f > 0; f--) {
            List<Type> inputs = types(random.nextInt(4));
            FunctionType type = FunctionType.of(inputs, types(random.nextInt(3)));
            String name = pick("f", "main", "with space", "a.b") + f;
            if (random.nextInt(4) == 0) {
                module.body().append(FuncOps.createDeclaration(name, type, location()));
                continue;
            }
            Operation fn = FuncOps.createFunc(name, type, location());
            Block entry = FuncOps.body(fn);
            List<Value> visible = new ArrayList<>();
            for (Value arg : entry.arguments()) {
                arg.setNameHint(hint());
                visible.add(arg);
            }
            fill(entry, visible, 2);
            if (random.nextBoolean()) {
                fn.setAttr("sym_visibility", new StringAttr("private"));
            }
            module.body().append(fn);
        }
        return module;
    }

    private void fill(Block block, List<Value> visible, int depth) {
        List<Value> scope = new ArrayList<>(visible);
        for (int n = random.nextInt(5); n > 0; n--) {
            List<Value> operands = new ArrayList<>();
            for (int i = scope.isEmpty() ? 0 : random.nextInt(4); i > 0; i--) {
                operands.add(scope.get(random.nextInt(scope.size())));
            }
            int numRegions = depth > 0 && random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0;
            Operation op = Operation.create(pick("test.op", "nn.thing", "x.y.z", "q\"uoted.op"), operands,
                    types(random.nextInt(4)), attributes(), numRegions, location());
            for (int r = 0; r < numRegions; r++) {
                for (int b = random.nextInt(3); b > 0; b--) {
                    Block inner = op.region(r).addBlock(new Block(types(random.nextInt(3))));
                    List<Value> innerScope = new ArrayList<>(scope);
                    for (Value arg : inner.arguments()) {
                        arg.setNameHint(hint());
                        innerScope.add(arg);
                    }
                    fill(inner, innerScope, depth - 1);
                }
            }
            block.append(op);
            if (op.numResults() > 0) {
                op.result(0).setNameHint(hint());
                scope.addAll(op.results());
            }
        }
        if (block.parentOp() != null && FuncOps.FUNC.equals(block.parentOp().name()) && random.nextBoolean()) {
            List<Value> returned = new ArrayList<>();
            for (int i = scope.isEmpty() ? 0 : random.nextInt(3); i > 0; i--) {
                returned.add(scope.get(random.nextInt(scope.size())));
            }
            block.append(FuncOps.createReturn(returned, location()));
        }
    }

    private Map<String, Attribute> attributes() {
        Map<String, Attribute> attrs = new TreeMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            attrs.put(pick("k", "value", "a b", "0", "true", "dense", "x.y", "\"") + random.nextInt(3), attribute(2));
        }
        return attrs;
    }

    private Attribute attribute(int depth) {
        return switch (random.nextInt(depth > 0 ? 11 : 10)) {
            case 0 -> integer();
            case 1, 2 -> floating();
            case 3 -> BoolAttr.of(random.nextBoolean());
            case 4 -> new StringAttr(pick(STRINGS));
            case 5 -> UnitAttr.INSTANCE;
            case 6 -> new TypeAttr(random.nextBoolean() ? type() : FunctionType.of(types(2), types(random.nextInt(3))));
            case 7 -> new SymbolRefAttr(pick("f", "with space", "a.b$c", "9lives"));
            case 8 -> dense();
            case 9 -> module.resources().isEmpty() ? UnitAttr.INSTANCE : resource();
            default -> {
                List<Attribute> elements = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    elements.add(attribute(depth - 1));
                }
                yield new ArrayAttr(elements);
            }
        };
    }

    private IntegerAttr integer() {
        ScalarType t = pick(ScalarType.I64, ScalarType.I32, ScalarType.I16, ScalarType.I8, ScalarType.U8,
                ScalarType.INDEX);
        long v = switch (t) {
            case I64, INDEX -> pick(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, random.nextLong());
            case I32 -> random.nextInt();
            case I16 -> (short) random.nextInt();
            case I8 -> (byte) random.nextInt();
            default -> random.nextInt(256);
        };
        return new IntegerAttr(v, t);
    }

    private FloatAttr floating() {
        ScalarType t = pick(ScalarType.F64, ScalarType.F32, ScalarType.F16, ScalarType.BF16);
        return new FloatAttr(specialOrRandomDouble(), t);
    }

    private double specialOrRandomDouble() {
        return switch (random.nextInt(8)) {
            case 0 -> pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
            case 1 -> pick(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, 1e-5, 0.1);
            case 2 -> random.nextInt(1000) - 500;
            default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20) - 10);
        };
    }

    private DenseElementsAttr dense() {
        ScalarType et = pick(ELEMENTS);
        TensorType type = TensorType.of(et, random.nextInt(4) == 0 ? new long[0]
                : new long[] {random.nextInt(4), 1 + random.nextInt(3)});
        int n = (int) type.numElements();
        // No splat of a zero-element tensor: DenseElementsAttr keeps its one element, unlike the
        // empty data that the same printed text reads back as.
        if (n > 0 && random.nextInt(4) == 0) {
            return DenseElementsAttr.splat(type, et.isFloat() ? specialOrRandomDouble() : 1);
        }
        if (et.isFloat()) {
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = specialOrRandomDouble();
            }
            return DenseElementsAttr.fromDoubles(type, values);
        }
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            long v = random.nextLong();
            values[i] = Numbers.fitsInteger(v, et) ? v : et == ScalarType.U8 ? v & 0xff : (long) (byte) v;
        }
        return DenseElementsAttr.fromLongs(type, values);
    }

    private DenseResourceAttr resource() {
        List<String> names = new ArrayList<>(module.resources().keySet());
        String name = names.get(random.nextInt(names.size()));
        int size = module.resource(name).size();
        return new DenseResourceAttr(name, random.nextBoolean() ? TensorType.of(ScalarType.I8, size)
                : TensorType.of(ScalarType.F32, TensorType.DYNAMIC));
    }

    private List<Type> types(int n) {
        List<Type> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(type());
        }
        return out;
    }

    private Type type() {
        if (random.nextInt(3) == 0) {
            return random.nextInt(5) == 0 ? ScalarType.INDEX : pick(ELEMENTS);
        }
        long[] shape = new long[random.nextInt(4)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = random.nextInt(4) == 0 ? TensorType.DYNAMIC : random.nextInt(5);
        }
        return TensorType.of(pick(ELEMENTS), shape);
    }

    private Location location() {
        return switch (random.nextInt(3)) {
            case 0 -> Location.of(pick("a.lir", "dir/with space.lir", "q\"uote"), random.nextInt(100),
                    random.nextInt(80));
            case 1 -> Location.name(pick("onnx::Conv_1", "", "node \"7\""));
            default -> Location.UNKNOWN;
        };
    }

    private String hint() {
        return pick(HINTS);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }
}
