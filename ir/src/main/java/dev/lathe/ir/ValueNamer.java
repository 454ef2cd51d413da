package dev.lathe.ir;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the {@code %name} of each value within one isolated scope (a function): a value's
 * name hint when it is free, made valid and unique; otherwise the next free number, or
 * {@code argN} for block arguments. Printing is deterministic, so printing a parsed print
 * gives the same text.
 */
final class ValueNamer {

    private final Map<Value, String> names = new HashMap<>();
    private final Set<String> used = new HashSet<>();
    private int nextNumber;
    private int nextArg;

    String nameOf(Value v) {
        String n = names.get(v);
        return n != null ? n : "<<UNKNOWN " + v + ">>";
    }

    boolean isNamed(Value v) {
        return names.containsKey(v);
    }

    void assign(Value v) {
        if (names.containsKey(v)) {
            return;
        }
        String hint = sanitize(v.nameHint());
        String name;
        if (hint != null) {
            name = hint;
            for (int i = 1; used.contains(name); i++) {
                name = hint + "_" + i;
            }
        } else if (v instanceof BlockArgument) {
            do {
                name = "arg" + nextArg++;
            } while (used.contains(name));
        } else {
            do {
                name = Integer.toString(nextNumber++);
            } while (used.contains(name));
        }
        used.add(name);
        names.put(v, name);
    }

    /** A valid suffix-id, or null when the hint is absent or purely numeric (renumbered). */
    private static String sanitize(String hint) {
        if (hint == null || hint.isEmpty() || hint.chars().allMatch(Character::isDigit)) {
            return null;
        }
        StringBuilder sb = new StringBuilder(hint.length());
        for (int i = 0; i < hint.length(); i++) {
            char c = hint.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.' || c == '-');
            sb.append(ok ? c : '_');
        }
        if (Character.isDigit(sb.charAt(0))) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }
}
