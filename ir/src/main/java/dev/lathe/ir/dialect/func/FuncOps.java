package dev.lathe.ir.dialect.func;

import dev.lathe.ir.Block;
import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.attr.SymbolRefAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;

/** Builders and accessors for {@code func.func}, {@code func.return} and {@code func.call}. */
public final class FuncOps {

    public static final String FUNC = "func.func";
    public static final String RETURN = "func.return";
    public static final String CALL = "func.call";

    private FuncOps() {}

    /** A function with an entry block whose arguments match the signature's inputs. */
    public static Operation createFunc(String name, FunctionType type, Location location) {
        Operation fn = createDeclaration(name, type, location);
        fn.region(0).addBlock(new Block(type.inputs()));
        return fn;
    }

    /** A function without a body (an external declaration). */
    public static Operation createDeclaration(String name, FunctionType type, Location location) {
        return Operation.create(FUNC, List.of(), List.of(),
                Map.of("sym_name", new StringAttr(name), "function_type", new TypeAttr(type)), 1, location);
    }

    public static Operation createReturn(List<? extends Value> values, Location location) {
        return Operation.create(RETURN, values, List.of(), Map.of(), location);
    }

    public static Operation createCall(String callee, List<? extends Value> args, List<? extends Type> resultTypes,
            Location location) {
        return Operation.create(CALL, args, resultTypes, Map.<String, Attribute>of("callee", new SymbolRefAttr(callee)),
                location);
    }

    public static String name(Operation fn) {
        return ((StringAttr) fn.attr("sym_name")).value();
    }

    public static FunctionType type(Operation fn) {
        return (FunctionType) ((TypeAttr) fn.attr("function_type")).type();
    }

    /** Sets the signature (after arguments or results were refined). */
    public static void setType(Operation fn, FunctionType type) {
        fn.setAttr("function_type", new TypeAttr(type));
    }

    public static boolean isDeclaration(Operation fn) {
        return fn.region(0).isEmpty();
    }

    public static Block body(Operation fn) {
        return fn.region(0).entryBlock();
    }

    public static String callee(Operation call) {
        return ((SymbolRefAttr) call.attr("callee")).name();
    }
}
