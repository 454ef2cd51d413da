package dev.lathe.runtime.tier0;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.TruffleLanguage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tier-0 Truffle language: a "program" is one {@code nn} graph function, parsed into a
 * {@link GraphRootNode}. Graphs are not text: {@link Tier0} registers the built root under a
 * fresh key and evaluates a source whose characters are that key (a module with its weights is
 * never printed and re-parsed).
 */
@TruffleLanguage.Registration(id = NnLanguage.ID, name = "Lathe nn", version = "0.1",
        characterMimeTypes = NnLanguage.MIME, contextPolicy = TruffleLanguage.ContextPolicy.SHARED)
public final class NnLanguage extends TruffleLanguage<NnLanguage.Env0> {

    public static final String ID = "lathe-nn";
    static final String MIME = "application/x-lathe-nn";

    /** The per-context state: only the environment, to unwrap host arguments. */
    record Env0(TruffleLanguage.Env env) {}

    private static final Map<String, GraphRootNode.Plan> PENDING = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();

    /** Hands a planned graph to the next {@code parse} of the returned key (taken once). */
    static String register(GraphRootNode.Plan plan) {
        String key = "graph-" + NEXT.incrementAndGet();
        PENDING.put(key, plan);
        return key;
    }

    @Override
    protected Env0 createContext(TruffleLanguage.Env env) {
        return new Env0(env);
    }

    @Override
    protected CallTarget parse(ParsingRequest request) {
        String key = request.getSource().getCharacters().toString();
        GraphRootNode.Plan plan = PENDING.remove(key);
        if (plan == null) {
            throw new IllegalArgumentException("no graph registered under '" + key + "'");
        }
        return new GraphRootNode(this, plan).getCallTarget();
    }

    /** Calls of one model come from any number of request threads at once. */
    @Override
    protected boolean isThreadAccessAllowed(Thread thread, boolean singleThreaded) {
        return true;
    }

    static Env0 context(com.oracle.truffle.api.nodes.Node node) {
        return CONTEXT.get(node);
    }

    private static final ContextReference<Env0> CONTEXT = ContextReference.create(NnLanguage.class);
}
