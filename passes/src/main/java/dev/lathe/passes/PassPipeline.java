package dev.lathe.passes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An ordered list of configured passes, written as text:
 * <pre>
 * pipeline := [ pass ( ',' pass )* ]
 * pass     := NAME [ '{' option ( (' ' | ',') option )* '}' ] | 'builtin.module' '(' pipeline ')'
 * option   := KEY [ '=' VALUE ]          (a bare KEY means KEY=true)
 * </pre>
 * e.g. {@code canonicalize,cse,fold-constants{max-inline-elements=16}}. A named pipeline
 * ({@code default}) stands for its passes. MLIR's
 * {@code builtin.module(...)} wrapper is accepted, since every pass here runs on the module.
 */
public final class PassPipeline {

    /**
     * The pipeline {@code default} stands for: what {@code lathe compile} will run. Shapes are
     * simplified first so the recognizers see static chains, then the graph-level rewrites,
     * then elementwise fusion (after cse, so shared values are seen as shared), then cleanup. Every pass in it is exact (see docs/passes.md).
     */
    public static final String DEFAULT = "simplify-shapes,recognize-layer-norm,recognize-rms-norm,recognize-gelu,recognize-softmax,recognize-attention,"
            + "fold-attention-heads,fold-batch-norm,canonicalize,cse,fold-transpose-into-matmul,fuse-elementwise,fuse-matmul-epilogue,dce";

    /** Named pipelines, usable wherever a pass name is. */
    static final Map<String, String> NAMED = Map.of("default", DEFAULT);

    private final List<Pass> passes;

    private PassPipeline(List<Pass> passes) {
        this.passes = List.copyOf(passes);
    }

    public static PassPipeline of(List<? extends Pass> passes) {
        return new PassPipeline(new ArrayList<>(passes));
    }

    public static PassPipeline of(Pass... passes) {
        return of(List.of(passes));
    }

    /** Parses with the global registry. */
    public static PassPipeline parse(String text) {
        return parse(text, PassRegistry.global());
    }

    /** Parses {@code text}; throws {@link PassPipelineException} naming the position of the problem. */
    public static PassPipeline parse(String text, PassRegistry registry) {
        Parser p = new Parser(text, registry);
        List<Pass> passes = new ArrayList<>();
        p.skipSpaces();
        if (!p.atEnd()) {
            p.parseList(passes);
            p.skipSpaces();
            if (!p.atEnd()) {
                throw p.error(p.pos, "expected ',' or the end of the pipeline, found '" + p.peek() + "'");
            }
        }
        return new PassPipeline(passes);
    }

    public List<Pass> passes() {
        return passes;
    }

    public int size() {
        return passes.size();
    }

    /** Canonical text: parsing it gives an equivalent pipeline. */
    public String text() {
        return textFrom(0);
    }

    /** The text of the passes from index {@code first} on (what a crash reproducer reruns). */
    public String textFrom(int first) {
        return passes.subList(first, passes.size()).stream().map(Pass::pipelineText).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return text();
    }

    private static final class Parser {
        private final String text;
        private final PassRegistry registry;
        int pos;

        Parser(String text, PassRegistry registry) {
            this.text = text;
            this.registry = registry;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        char peek() {
            return text.charAt(pos);
        }

        void skipSpaces() {
            while (!atEnd() && Character.isWhitespace(peek())) {
                pos++;
            }
        }

        PassPipelineException error(int at, String problem) {
            return new PassPipelineException(text, at, problem);
        }

        void parseList(List<Pass> out) {
            while (true) {
                parsePass(out);
                skipSpaces();
                if (atEnd() || peek() != ',') {
                    return;
                }
                pos++;
            }
        }

        void parsePass(List<Pass> out) {
            skipSpaces();
            int start = pos;
            String name = word(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.');
            if (name.isEmpty()) {
                throw error(start, atEnd() ? "expected a pass name at the end of the pipeline"
                        : "expected a pass name, found '" + peek() + "'");
            }
            if (!atEnd() && peek() == '(') {
                if (!name.equals("builtin.module")) {
                    throw error(start, "nested pipelines are only supported as 'builtin.module(...)'; '"
                            + name + "' is not an op to nest on");
                }
                pos++;
                parseList(out);
                skipSpaces();
                expect(')');
                return;
            }
            String named = NAMED.get(name);
            if (named != null && (atEnd() || peek() != '{')) {
                out.addAll(PassPipeline.parse(named, registry).passes());
                return;
            }
            Pass pass;
            try {
                pass = registry.create(name);
            } catch (IllegalArgumentException e) {
                throw error(start, e.getMessage());
            }
            if (!atEnd() && peek() == '{') {
                pos++;
                parseOptions(pass);
            }
            out.add(pass);
        }

        void parseOptions(Pass pass) {
            while (true) {
                while (!atEnd() && (Character.isWhitespace(peek()) || peek() == ',')) {
                    pos++;
                }
                if (atEnd()) {
                    throw error(pos, "expected '}' to close the options of '" + pass.name() + "'");
                }
                if (peek() == '}') {
                    pos++;
                    return;
                }
                int keyStart = pos;
                String key = word(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
                if (key.isEmpty()) {
                    throw error(pos, "expected an option name, found '" + peek() + "'");
                }
                String value = "true";
                if (!atEnd() && peek() == '=') {
                    pos++;
                    int valueStart = pos;
                    value = word(c -> !Character.isWhitespace(c) && c != ',' && c != '}' && c != '{');
                    if (value.isEmpty()) {
                        throw error(valueStart, "expected a value for option '" + key + "'");
                    }
                }
                try {
                    pass.setOption(key, value);
                } catch (IllegalArgumentException e) {
                    throw error(keyStart, e.getMessage());
                }
            }
        }

        void expect(char c) {
            if (atEnd() || peek() != c) {
                throw error(pos, "expected '" + c + "'" + (atEnd() ? " at the end of the pipeline" : ", found '" + peek() + "'"));
            }
            pos++;
        }

        String word(java.util.function.IntPredicate allowed) {
            int start = pos;
            while (!atEnd() && allowed.test(peek())) {
                pos++;
            }
            return text.substring(start, pos);
        }
    }
}
