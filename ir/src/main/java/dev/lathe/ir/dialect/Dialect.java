package dev.lathe.ir.dialect;

import java.util.List;

/**
 * A namespace of ops. Dialects are found with {@link java.util.ServiceLoader}, so a module
 * adds one by listing it in {@code META-INF/services/dev.lathe.ir.dialect.Dialect}.
 */
public interface Dialect {

    /** The prefix of its ops' names, e.g. {@code nn}. */
    String namespace();

    List<OpDefinition> operations();
}
