package dev.lathe.ir.interp;

import dev.lathe.ir.Location;
import java.util.List;

/**
 * The inputs given to {@link Interpreter#run} do not fit the function's signature. The message
 * has one line per problem, each saying what was expected and what was given:
 *
 * <pre>
 * missing input 'w': expected tensor&lt;4x3xf32&gt;
 * input 'x': expected tensor&lt;?x4xf32&gt;, got tensor&lt;2x5xf32&gt; (dim 1 is 5, expected 4)
 * unknown input 'z'; '@mlp' takes 'x', 'w'
 * </pre>
 */
public final class InvalidInputException extends InterpreterException {

    private final List<String> problems;

    InvalidInputException(List<String> problems) {
        super(Location.UNKNOWN, String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, in the order of the signature's inputs, then unknown names. */
    public List<String> problems() {
        return problems;
    }
}
