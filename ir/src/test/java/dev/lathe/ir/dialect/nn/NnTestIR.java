package dev.lathe.ir.dialect.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.Block;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.OpResult;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.Verifier;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.DialectRegistry;
import dev.lathe.ir.dialect.FoldResult;
import dev.lathe.ir.dialect.OpDefinition;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One function {@code @main} under construction for nn op tests: arguments of given types, ops
 * appended with given or inferred result types, then verification, folding and evaluation.
 */
final class NnTestIR {

    final Module module = Module.create();
    private final Block body;
    private boolean terminated;

    NnTestIR(Type... argumentTypes) {
        Operation fn = FuncOps.createFunc("main", FunctionType.of(List.of(argumentTypes), List.of()),
                Location.name("main"));
        module.body().append(fn);
        body = FuncOps.body(fn);
    }

    Value arg(int i) {
        return body.argument(i);
    }

    /** Appends an op with an explicit result type (possibly a wrong one, to exercise the verifier). */
    Operation op(String name, Type resultType, Map<String, Attribute> attributes, Value... operands) {
        Operation op = Operation.create(name, List.of(operands), List.of(resultType), attributes,
                Location.name(name + "_node"));
        body.append(op);
        return op;
    }

    /** Appends an op whose result type its definition infers. */
    Operation op(String name, Map<String, Attribute> attributes, Value... operands) {
        List<Type> types = Arrays.stream(operands).map(Value::type).toList();
        return op(name, definition(name).inferResultTypes(types, attributes).get(0), attributes, operands);
    }

    Operation constant(Attribute value) {
        Operation op = NnConstants.create(value, Location.name("const"));
        body.append(op);
        return op;
    }

    /** The verifier's messages for the module (the function is terminated first). */
    List<String> errors() {
        if (!terminated) {
            body.append(FuncOps.createReturn(List.of(), Location.UNKNOWN));
            terminated = true;
        }
        return Verifier.verify(module, false).stream().map(Diagnostic::toString).toList();
    }

    /** Asserts exactly one diagnostic, containing every fragment. */
    static void assertOneError(List<String> errors, String... fragments) {
        assertEquals(1, errors.size(), () -> "expected one error, found " + errors);
        for (String f : fragments) {
            if (!errors.get(0).contains(f)) {
                throw new AssertionError("error does not contain '" + f + "': " + errors.get(0));
            }
        }
    }

    /** Folds {@code op} with the values of operands defined by {@code nn.constant} ops. */
    static List<FoldResult> fold(Operation op) {
        List<Attribute> constants = new ArrayList<>();
        for (Value v : op.operands()) {
            boolean isConstant = v instanceof OpResult r && r.owner().isA(ConstantOp.NAME);
            constants.add(isConstant ? ((OpResult) v).owner().attr("value") : null);
        }
        return op.definition().fold(op, constants);
    }

    static OpDefinition definition(String name) {
        return DialectRegistry.global().lookup(name).orElseThrow(() -> new AssertionError(name + " not registered"));
    }

    /** Builds a verified function applying {@code name} to arguments of the inputs' types and evaluates it. */
    static DenseElementsAttr evaluate(String name, Map<String, Attribute> attributes, DenseElementsAttr... inputs) {
        NnTestIR ir = new NnTestIR(Arrays.stream(inputs).map(DenseElementsAttr::type).toArray(Type[]::new));
        Value[] args = new Value[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            args[i] = ir.arg(i);
        }
        Operation op = ir.op(name, attributes, args);
        assertEquals(List.of(), ir.errors());
        return op.definition().evaluate(op, List.of(inputs)).get(0);
    }

    static DenseElementsAttr evaluate(String name, DenseElementsAttr... inputs) {
        return evaluate(name, Map.of(), inputs);
    }

    /** Parses {@code tensor<2x?x3xf32>}. */
    static TensorType tensor(String text) {
        String inner = text.substring("tensor<".length(), text.length() - 1);
        String[] parts = inner.split("x");
        long[] shape = new long[parts.length - 1];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = parts[i].equals("?") ? TensorType.DYNAMIC : Long.parseLong(parts[i]);
        }
        ScalarType et = ScalarType.fromText(parts[parts.length - 1]).orElseThrow();
        return TensorType.of(et, shape);
    }

    static DenseElementsAttr doubles(String type, double... values) {
        return DenseElementsAttr.fromDoubles(tensor(type), values);
    }

    static DenseElementsAttr longs(String type, long... values) {
        return DenseElementsAttr.fromLongs(tensor(type), values);
    }

    static ArrayAttr array(long... values) {
        return ArrayAttr.ofLongs(values);
    }

    /** Result types the definition infers, as text. */
    static String infer(String name, Map<String, Attribute> attributes, String... operandTypes) {
        List<Type> types = Arrays.stream(operandTypes).map(NnTestIR::tensor).map(t -> (Type) t).toList();
        return definition(name).inferResultTypes(types, attributes).get(0).text();
    }

    static String infer(String name, String... operandTypes) {
        return infer(name, Map.of(), operandTypes);
    }
}
