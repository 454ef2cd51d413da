package dev.lathe.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small command-line reader: positional arguments, {@code --flag value} and repeated {@code --flag NAME=VALUE}. */
final class Args {

    final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> flags = new LinkedHashMap<>();

    Args(String[] args, List<String> known) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0 && known.contains(name.substring(0, eq))) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
                }
                flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                positional.add(a);
            }
        }
    }

    String get(String name, String fallback) {
        List<String> v = flags.get(name);
        return v == null ? fallback : v.getLast();
    }

    int getInt(String name, int fallback) {
        return Integer.parseInt(get(name, Integer.toString(fallback)));
    }

    double getDouble(String name, double fallback) {
        return Double.parseDouble(get(name, Double.toString(fallback)));
    }

    boolean has(String name) {
        return flags.containsKey(name);
    }

    /** Every {@code --name KEY=VALUE} given, in order. */
    Map<String, String> pairs(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : flags.getOrDefault(name, List.of())) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--" + name + " takes NAME=VALUE, got '" + s + "'");
            }
            out.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return out;
    }
}
