package dev.lathe.ir.attr;

import java.util.List;
import java.util.stream.Collectors;

/** {@code [0, 1, [2, "x"]]}: an ordered list of attributes, possibly nested. */
public record ArrayAttr(List<Attribute> elements) implements Attribute {

    public ArrayAttr {
        elements = List.copyOf(elements);
    }

    public static ArrayAttr ofLongs(long... values) {
        Attribute[] attrs = new Attribute[values.length];
        for (int i = 0; i < values.length; i++) {
            attrs[i] = IntegerAttr.of(values[i]);
        }
        return new ArrayAttr(List.of(attrs));
    }

    public int size() {
        return elements.size();
    }

    /** The elements as longs, or null when some element is not an integer. */
    public long[] asLongs() {
        long[] out = new long[elements.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(elements.get(i) instanceof IntegerAttr ia)) {
                return null;
            }
            out[i] = ia.value();
        }
        return out;
    }

    @Override
    public String text() {
        return elements.stream().map(Attribute::text).collect(Collectors.joining(", ", "[", "]"));
    }
}
