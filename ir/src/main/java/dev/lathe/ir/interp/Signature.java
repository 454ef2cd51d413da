package dev.lathe.ir.interp;

import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The calling convention of one function: its inputs and outputs, each with a name and a type.
 *
 * <p>Input {@code i} is named by the name hint of the function's argument {@code i} (the name it
 * had in the text or the imported graph), or {@code argI} when it has none or a purely numeric
 * one; a name used twice gets a suffix ({@code x}, {@code x_1}). Output {@code i} is named by
 * element {@code i} of the function's optional {@code result_names} attribute (an array of
 * strings, one per result, set by the ONNX importer), or {@code resultI} without it.
 *
 * @param function the function's symbol name, without {@code @}
 */
public record Signature(String function, List<Port> inputs, List<Port> outputs) {

    /** The attribute of {@code func.func} that names its results: {@code result_names = ["logits"]}. */
    public static final String RESULT_NAMES = "result_names";

    /** One input or output: its name in the calling convention and its declared type. */
    public record Port(String name, Type type) {
        @Override
        public String toString() {
            return name + ": " + type.text();
        }
    }

    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Optional<Port> input(String name) {
        return inputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<Port> output(String name) {
        return outputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public List<String> inputNames() {
        return inputs.stream().map(Port::name).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(Port::name).toList();
    }

    /** {@code @mlp(x: tensor<?x4xf32>, w: tensor<4x3xf32>) -> (y: tensor<?x3xf32>)}. */
    @Override
    public String toString() {
        return "@" + function + inputs.stream().map(Port::toString).collect(Collectors.joining(", ", "(", ")"))
                + " -> " + outputs.stream().map(Port::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /** Sets the {@code result_names} attribute of {@code fn}, one name per result of its type. */
    public static void setResultNames(Operation fn, List<String> names) {
        List<Attribute> attrs = new ArrayList<>();
        for (String n : names) {
            attrs.add(new StringAttr(n));
        }
        fn.setAttr(RESULT_NAMES, new ArrayAttr(attrs));
    }

    /**
     * The signature of a {@code func.func}. Throws {@link InvalidOpException} when its
     * {@code result_names} is not an array of distinct, non-empty strings, one per result.
     */
    public static Signature of(Operation fn) {
        FunctionType type = FuncOps.type(fn);
        List<Port> inputs = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < type.inputs().size(); i++) {
            String hint = FuncOps.isDeclaration(fn) ? null : FuncOps.body(fn).argument(i).nameHint();
            String base = isName(hint) ? hint : "arg" + i;
            String name = base;
            for (int k = 1; used.contains(name); k++) {
                name = base + "_" + k;
            }
            used.add(name);
            inputs.add(new Port(name, type.inputs().get(i)));
        }
        List<String> names = resultNames(fn, type.results().size());
        List<Port> outputs = new ArrayList<>();
        for (int i = 0; i < type.results().size(); i++) {
            outputs.add(new Port(names.get(i), type.results().get(i)));
        }
        return new Signature(FuncOps.name(fn), inputs, outputs);
    }

    /** A usable name hint: present and not purely numeric (numbers are the printer's, not names). */
    private static boolean isName(String hint) {
        return hint != null && !hint.isEmpty() && !hint.chars().allMatch(Character::isDigit);
    }

    private static List<String> resultNames(Operation fn, int count) {
        Attribute attr = fn.attr(RESULT_NAMES);
        List<String> names = new ArrayList<>();
        if (attr == null) {
            for (int i = 0; i < count; i++) {
                names.add("result" + i);
            }
            return names;
        }
        String where = "attribute '" + RESULT_NAMES + "' of '@" + FuncOps.name(fn) + "'";
        if (!(attr instanceof ArrayAttr array) || array.size() != count) {
            throw new InvalidOpException(where + " must be an array of one string per result (" + count
                    + "), found " + attr.text());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (!(array.elements().get(i) instanceof StringAttr s) || s.value().isEmpty()) {
                throw new InvalidOpException(where + " must hold non-empty strings, found "
                        + array.elements().get(i).text() + " at position " + i);
            }
            if (!seen.add(s.value())) {
                throw new InvalidOpException(where + " names two results '" + s.value() + "'");
            }
            names.add(s.value());
        }
        return names;
    }
}
