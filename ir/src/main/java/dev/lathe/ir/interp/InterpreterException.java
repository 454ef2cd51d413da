package dev.lathe.ir.interp;

import dev.lathe.ir.Location;
import dev.lathe.ir.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A run of the {@link Interpreter} failed. The message is {@code LOCATION: 'op.name': DETAIL},
 * naming the op that failed, followed by one {@code called from} line per enclosing
 * {@code func.call}, innermost first:
 *
 * <pre>
 * t.lir:3:5: 'nn.div': integer division by zero (4 / 0)
 *   called from t.lir:9:10 ('func.call' to '@divide' in '@main')
 * </pre>
 *
 * An unknown location is left out. The cause, when there is one, is the exception the op's
 * reference semantics threw.
 */
public class InterpreterException extends RuntimeException {

    /** How many call sites the message lists (deep recursion would otherwise list hundreds). */
    public static final int MAX_CALL_SITES = 16;

    private final Location location;
    private final String detail;
    private final List<String> callSites;
    private final int omittedCallSites;

    public InterpreterException(Location location, String detail, Throwable cause) {
        this(location, detail, cause, List.of(), 0);
    }

    public InterpreterException(Location location, String detail) {
        this(location, detail, null, List.of(), 0);
    }

    private InterpreterException(Location location, String detail, Throwable cause, List<String> callSites,
            int omittedCallSites) {
        super(message(location, detail, callSites, omittedCallSites), cause);
        this.location = Objects.requireNonNull(location, "location");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.callSites = List.copyOf(callSites);
        this.omittedCallSites = omittedCallSites;
    }

    /** An error about {@code op}: {@code LOCATION: 'op.name': DETAIL}. */
    static InterpreterException at(Operation op, String detail, Throwable cause) {
        return new InterpreterException(op.location(), "'" + op.name() + "': " + detail, cause);
    }

    static InterpreterException at(Operation op, String detail) {
        return at(op, detail, null);
    }

    private static String message(Location location, String detail, List<String> callSites, int omitted) {
        StringBuilder sb = new StringBuilder();
        if (!(location instanceof Location.Unknown)) {
            sb.append(location).append(": ");
        }
        sb.append(detail);
        for (String site : callSites) {
            sb.append("\n  called from ").append(site);
        }
        if (omitted > 0) {
            sb.append("\n  ... and ").append(omitted).append(" more calls");
        }
        return sb.toString();
    }

    /** Where the failing op is ({@link Location#UNKNOWN} for errors about the inputs of a run). */
    public Location location() {
        return location;
    }

    /** The message without the location and the call sites: {@code 'nn.div': integer division by zero}. */
    public String detail() {
        return detail;
    }

    /**
     * One entry per {@code func.call} the error passed through, innermost first; at most
     * {@link #MAX_CALL_SITES}, the outer ones beyond are only counted in the message.
     */
    public List<String> callSites() {
        return callSites;
    }

    /** The same error, noted as having passed through {@code call} (a {@code func.call} in {@code caller}). */
    InterpreterException throughCall(Operation call, String callee, String caller) {
        List<String> sites = new ArrayList<>(callSites);
        int omitted = omittedCallSites;
        if (sites.size() < MAX_CALL_SITES) {
            sites.add(call.location() + " ('" + call.name() + "' to '@" + callee + "' in '@" + caller + "')");
        } else {
            omitted++;
        }
        InterpreterException e = new InterpreterException(location, detail, getCause(), sites, omitted);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
