package dev.lathe.ir.interp;

import dev.lathe.ir.interp.Signature.Port;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Checks the inputs of a run against a signature, collecting every problem before failing. */
final class InputValidation {

    private InputValidation() {}

    /** The inputs in argument order; throws {@link InvalidInputException} listing every problem. */
    static List<RuntimeValue> bind(Signature sig, Map<String, ? extends RuntimeValue> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        List<String> problems = new ArrayList<>();
        List<RuntimeValue> args = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (Port port : sig.inputs()) {
            known.add(port.name());
            if (!inputs.containsKey(port.name())) {
                problems.add("missing input '" + port.name() + "': expected " + port.type().text());
                continue;
            }
            RuntimeValue value = inputs.get(port.name());
            check(port, value, problems);
            args.add(value);
        }
        Set<String> unknown = new TreeSet<>();
        for (String name : inputs.keySet()) {
            if (!known.contains(name)) {
                unknown.add(String.valueOf(name));
            }
        }
        for (String name : unknown) {
            problems.add("unknown input '" + name + "'; '@" + sig.function() + "' takes " + names(sig));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return args;
    }

    /** Positional inputs; throws {@link InvalidInputException} listing every problem. */
    static List<RuntimeValue> check(Signature sig, List<? extends RuntimeValue> args) {
        Objects.requireNonNull(args, "args");
        if (args.size() != sig.inputs().size()) {
            throw new InvalidInputException(List.of("'@" + sig.function() + "' takes " + sig.inputs().size()
                    + " inputs " + sig.inputs().stream().map(Port::toString).collect(Collectors.joining(", ", "(", ")"))
                    + ", got " + args.size()));
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            check(sig.inputs().get(i), args.get(i), problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new ArrayList<>(args);
    }

    private static void check(Port port, RuntimeValue value, List<String> problems) {
        if (value == null) {
            problems.add("input '" + port.name() + "' is null: expected " + port.type().text());
            return;
        }
        String mismatch = TypeCheck.describeMismatch(port.type(), value);
        if (mismatch != null) {
            problems.add("input '" + port.name() + "': " + mismatch);
        }
    }

    private static String names(Signature sig) {
        if (sig.inputs().isEmpty()) {
            return "no inputs";
        }
        return sig.inputs().stream().map(p -> "'" + p.name() + "'").collect(Collectors.joining(", "));
    }
}
