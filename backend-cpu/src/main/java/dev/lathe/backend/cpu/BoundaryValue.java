package dev.lathe.backend.cpu;

import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.RuntimeValue;
import java.util.ArrayList;
import java.util.List;

/**
 * How one graph input or output of a specialized model maps to native tensor arguments
 * (docs/backend-cpu.md#sequences-and-optionals): a tensor is one argument; a sequence of known
 * length is its elements' arguments in order; an optional is its value's arguments when present
 * and none when absent. Compiled code holds for exactly this structure (lengths and presence),
 * as it holds for exactly one set of shapes.
 */
public sealed interface BoundaryValue {

    /** A tensor: native argument {@code index} (among the inputs, or among the outputs). */
    record Tensor(int index) implements BoundaryValue {}

    /** A sequence of known length. */
    record Sequence(List<BoundaryValue> elements) implements BoundaryValue {
        public Sequence {
            elements = List.copyOf(elements);
        }
    }

    /** An optional: {@code value} null when absent. */
    record Optional(BoundaryValue value) implements BoundaryValue {}

    /** The structure of {@code values}, appending their tensors to {@code flat} in argument order. */
    static List<BoundaryValue> flatten(List<RuntimeValue> values, List<DenseElementsAttr> flat) {
        List<BoundaryValue> out = new ArrayList<>();
        for (RuntimeValue v : values) {
            out.add(flatten(v, flat));
        }
        return out;
    }

    private static BoundaryValue flatten(RuntimeValue v, List<DenseElementsAttr> flat) {
        return switch (v) {
            case RuntimeValue.TensorValue t -> {
                flat.add(t.value());
                yield new Tensor(flat.size() - 1);
            }
            case RuntimeValue.SequenceValue s -> {
                List<BoundaryValue> elements = new ArrayList<>();
                for (RuntimeValue e : s.elements()) {
                    elements.add(flatten(e, flat));
                }
                yield new Sequence(elements);
            }
            case RuntimeValue.OptionalValue o -> new Optional(o.isPresent() ? flatten(o.value(), flat) : null);
        };
    }

    /** Whether every value is a plain tensor (then arguments and values correspond one to one). */
    static boolean allTensors(List<BoundaryValue> values) {
        return values.stream().allMatch(v -> v instanceof Tensor);
    }

    /** The value this structure describes, its tensors taken from {@code flat}. */
    default RuntimeValue rebuild(List<DenseElementsAttr> flat) {
        return switch (this) {
            case Tensor t -> RuntimeValue.of(flat.get(t.index()));
            case Sequence s -> RuntimeValue.sequence(s.elements().stream().map(e -> e.rebuild(flat)).toList());
            case Optional o -> RuntimeValue.optional(o.value() == null ? null : o.value().rebuild(flat));
        };
    }

    /** {@code tensor}, {@code sequence[tensor, tensor]}, {@code optional[]}: for messages. */
    default String describe() {
        return switch (this) {
            case Tensor t -> "tensor";
            case Sequence s -> "sequence" + s.elements().stream().map(BoundaryValue::describe).toList();
            case Optional o -> o.value() == null ? "empty optional" : "optional of " + o.value().describe();
        };
    }

    /** Whether {@code v} has this structure (indices aside). */
    default boolean sameStructure(BoundaryValue v) {
        return switch (this) {
            case Tensor t -> v instanceof Tensor;
            case Sequence s -> {
                if (!(v instanceof Sequence o) || o.elements().size() != s.elements().size()) {
                    yield false;
                }
                for (int i = 0; i < s.elements().size(); i++) {
                    if (!s.elements().get(i).sameStructure(o.elements().get(i))) {
                        yield false;
                    }
                }
                yield true;
            }
            case Optional o -> v instanceof Optional p && (o.value() == null ? p.value() == null
                    : p.value() != null && o.value().sameStructure(p.value()));
        };
    }
}
