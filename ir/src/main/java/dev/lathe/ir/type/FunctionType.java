package dev.lathe.ir.type;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** {@code (tensor<4xf32>, f32) -> tensor<4xf32>}: the signature of a function or op. */
public record FunctionType(List<Type> inputs, List<Type> results) implements Type {

    private static final ConcurrentHashMap<FunctionType, FunctionType> INTERNED = new ConcurrentHashMap<>();

    public FunctionType {
        inputs = List.copyOf(inputs);
        results = List.copyOf(results);
    }

    public static FunctionType of(List<? extends Type> inputs, List<? extends Type> results) {
        FunctionType t = new FunctionType(List.copyOf(inputs), List.copyOf(results));
        return INTERNED.computeIfAbsent(t, k -> k);
    }

    @Override
    public String text() {
        return typeList(inputs, true) + " -> " + typeList(results, false);
    }

    /** Parenthesized list; a single non-function result may go without parentheses, as in MLIR. */
    public static String typeList(List<Type> types, boolean alwaysParens) {
        if (!alwaysParens && types.size() == 1 && !(types.get(0) instanceof FunctionType)) {
            return types.get(0).text();
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(types.get(i).text());
        }
        return sb.append(')').toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
