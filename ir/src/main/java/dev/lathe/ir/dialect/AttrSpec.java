package dev.lathe.ir.dialect;

import dev.lathe.ir.attr.Attribute;

/** One attribute an op accepts: its name, the kind of attribute, and whether it is required. */
public record AttrSpec(String name, Class<? extends Attribute> kind, boolean required) {

    public static AttrSpec required(String name, Class<? extends Attribute> kind) {
        return new AttrSpec(name, kind, true);
    }

    public static AttrSpec optional(String name, Class<? extends Attribute> kind) {
        return new AttrSpec(name, kind, false);
    }
}
