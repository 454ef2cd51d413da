package dev.lathe.runtime.tier0;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.TensorType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What tier 0 has seen: how many calls ran with each list of input types (shapes and dtypes), so
 * a later compile can pick the specializations worth making. Thread-safe.
 */
public final class GraphProfile {

    private final Map<List<TensorType>, LongAdder> calls = new ConcurrentHashMap<>();

    void record(DenseElementsAttr[] inputs) {
        List<TensorType> types = Arrays.stream(inputs).map(DenseElementsAttr::type).toList();
        calls.computeIfAbsent(types, t -> new LongAdder()).increment();
    }

    /** The calls per list of input types, most frequent first. */
    public Map<List<TensorType>, Long> callsByInputTypes() {
        Map<List<TensorType>, Long> out = new LinkedHashMap<>();
        calls.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
        return out;
    }

    /** All calls recorded. */
    public long totalCalls() {
        return calls.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
