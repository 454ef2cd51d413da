package dev.lathe.ir.interp;

import dev.lathe.ir.Block;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.dialect.nn.NnConstants;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds modules for interpreter tests. Every op gets the location {@code t.lir:LINE:5}, with
 * lines counted from 1 over the whole module in creation order, so tests can name the line.
 */
final class InterpTestIR {

    final Module module = Module.create();
    private int line;

    /** A function with named arguments (a null name leaves the argument unnamed). */
    Func func(String name, List<String> argNames, List<Type> argTypes, List<Type> resultTypes) {
        Operation fn = FuncOps.createFunc(name, FunctionType.of(argTypes, resultTypes), next());
        module.body().append(fn);
        Block body = FuncOps.body(fn);
        for (int i = 0; i < argNames.size(); i++) {
            body.argument(i).setNameHint(argNames.get(i));
        }
        return new Func(fn, body);
    }

    Location next() {
        return Location.of("t.lir", ++line, 5);
    }

    /** Appends ops to one block (a function body or a region's block). */
    final class Func {
        final Operation fn;
        final Block block;

        Func(Operation fn, Block block) {
            this.fn = fn;
            this.block = block;
        }

        Value arg(int i) {
            return block.argument(i);
        }

        Operation op(String name, List<Type> resultTypes, Map<String, Attribute> attributes, int numRegions,
                Value... operands) {
            Operation op = Operation.create(name, List.of(operands), resultTypes, attributes, numRegions, next());
            block.append(op);
            return op;
        }

        Value op(String name, Type resultType, Value... operands) {
            return op(name, List.of(resultType), Map.of(), 0, operands).result();
        }

        Value constant(Attribute value) {
            Operation op = NnConstants.create(value, next());
            block.append(op);
            return op.result();
        }

        Operation call(String callee, List<Type> resultTypes, Value... args) {
            Operation op = FuncOps.createCall(callee, List.of(args), resultTypes, next());
            block.append(op);
            return op;
        }

        void ret(Value... values) {
            block.append(FuncOps.createReturn(List.of(values), next()));
        }

        /** A builder for the single block of {@code region} of {@code op}, with arguments of the given types. */
        Func region(Operation op, int region, Type... argTypes) {
            Block b = op.region(region).addBlock(new Block(List.of(argTypes)));
            return new Func(op, b);
        }
    }

    /** Parses {@code tensor<2x?x3xf32>}. */
    static TensorType tensor(String text) {
        String inner = text.substring("tensor<".length(), text.length() - 1);
        String[] parts = inner.split("x");
        long[] shape = new long[parts.length - 1];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = parts[i].equals("?") ? TensorType.DYNAMIC : Long.parseLong(parts[i]);
        }
        return TensorType.of(ScalarType.fromText(parts[parts.length - 1]).orElseThrow(), shape);
    }

    static DenseElementsAttr doubles(String type, double... values) {
        return DenseElementsAttr.fromDoubles(tensor(type), values);
    }

    static DenseElementsAttr longs(String type, long... values) {
        return DenseElementsAttr.fromLongs(tensor(type), values);
    }

    static List<Type> types(String... texts) {
        List<Type> out = new ArrayList<>();
        for (String t : texts) {
            out.add(tensor(t));
        }
        return out;
    }
}
