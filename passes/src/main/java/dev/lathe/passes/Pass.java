package dev.lathe.passes;

import dev.lathe.ir.Module;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One transformation of a module, named as a verb phrase ({@code fold-constants}). A pass
 * declares its options as fields, like MLIR's {@code Option<>} members:
 *
 * <pre>{@code
 * private final Option<Long> maxInline = longOption("max-inline-elements", 16, "largest constant kept inline");
 * }</pre>
 *
 * A pipeline creates a fresh instance per occurrence, so options are set once, before {@link #run}.
 */
public abstract class Pass {

    private final Map<String, Option<?>> options = new LinkedHashMap<>();

    /** The name in pipelines, e.g. {@code cse}. */
    public abstract String name();

    /** One line for {@code --help} and the docs. */
    public abstract String description();

    /**
     * Transforms {@code module}. Report problems through {@code context} (a located error plus
     * {@link PassContext#signalFailure()}); an exception is treated as a crash of the compiler.
     */
    public abstract void run(Module module, PassContext context);

    /** A typed option with a default; {@link #get()} returns the value set by the pipeline. */
    public static final class Option<T> {
        private final String name;
        private final String description;
        private final T defaultValue;
        private final Function<String, T> parser;
        private T value;

        Option(String name, String description, T defaultValue, Function<String, T> parser) {
            this.name = name;
            this.description = description;
            this.defaultValue = defaultValue;
            this.parser = parser;
            this.value = defaultValue;
        }

        public String name() {
            return name;
        }

        public String description() {
            return description;
        }

        public T defaultValue() {
            return defaultValue;
        }

        public T get() {
            return value;
        }

        public boolean isDefault() {
            return Objects.equals(value, defaultValue);
        }
    }

    protected final Option<Long> longOption(String name, long defaultValue, String description) {
        return addOption(new Option<>(name, description, defaultValue, text -> {
            try {
                return Long.decode(text.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expects an integer, got '" + text + "'");
            }
        }));
    }

    protected final Option<Boolean> booleanOption(String name, boolean defaultValue, String description) {
        return addOption(new Option<>(name, description, defaultValue, text -> switch (text) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("expects true or false, got '" + text + "'");
        }));
    }

    protected final Option<String> stringOption(String name, String defaultValue, String description) {
        return addOption(new Option<>(name, description, defaultValue, text -> text));
    }

    private <T> Option<T> addOption(Option<T> option) {
        if (options.putIfAbsent(option.name(), option) != null) {
            throw new IllegalStateException("pass " + name() + " declares option '" + option.name() + "' twice");
        }
        return option;
    }

    public final List<Option<?>> options() {
        return Collections.unmodifiableList(new ArrayList<>(options.values()));
    }

    /**
     * Sets option {@code name} from its text; throws {@link IllegalArgumentException} saying
     * which options exist or what value was expected.
     */
    public final void setOption(String name, String text) {
        Option<?> option = options.get(name);
        if (option == null) {
            throw new IllegalArgumentException("pass '" + name() + "' has no option '" + name + "'; "
                    + (options.isEmpty() ? "it takes no options" : "its options are: " + String.join(", ", options.keySet())));
        }
        setParsed(option, text);
    }

    private static <T> void setParsed(Option<T> option, String text) {
        try {
            option.value = option.parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option '" + option.name() + "' " + e.getMessage(), e);
        }
    }

    /** The pipeline text that recreates this pass: its name plus options that differ from the default. */
    public final String pipelineText() {
        StringBuilder sb = new StringBuilder(name());
        String sep = "{";
        for (Option<?> o : options.values()) {
            if (!o.isDefault()) {
                sb.append(sep).append(o.name()).append('=').append(o.get());
                sep = " ";
            }
        }
        return sep.equals("{") ? sb.toString() : sb.append('}').toString();
    }

    @Override
    public String toString() {
        return pipelineText();
    }
}
