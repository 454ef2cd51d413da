package dev.lathe.runtime.tier0;

import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Tier 0 of a compiled model: its graph function run at once by the {@link NnLanguage} Truffle
 * interpreter over the reference semantics, while native code compiles. Thread-safe: calls may
 * run at once; {@link #close} waits for running calls.
 *
 * <p>All models share one polyglot {@link Engine} (so Truffle's compiled code, where Graal's
 * compiler is present, is shared too); each gets its own {@link Context}. On a stock JDK the
 * engine is interpreter-only ({@link #implementationName()} is {@code "Interpreted"}); the
 * warning about it is silenced, since that is the expected configuration for tests and CI.
 */
public final class Tier0 implements AutoCloseable {

    private static volatile Engine engine;

    private final Context context;
    private final Value callable;
    private final GraphProfile profile;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private Tier0(Context context, Value callable, GraphProfile profile) {
        this.context = context;
        this.callable = callable;
        this.profile = profile;
    }

    /**
     * Prepares {@code fn} of {@code module} (constants decoded now). Throws
     * {@link UnsupportedOperationException} naming the first op tier 0 does not run.
     */
    public static Tier0 of(Module module, Operation fn) {
        GraphRootNode.Plan plan = GraphRootNode.plan(module, fn);
        Context context = Context.newBuilder(NnLanguage.ID).engine(engine()).build();
        try {
            Value callable = context.parse(Source.create(NnLanguage.ID, NnLanguage.register(plan)));
            return new Tier0(context, callable, plan.profile());
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** The shared engine, created on first use. */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (Tier0.class) {
                e = engine;
                if (e == null) {
                    e = Engine.newBuilder(NnLanguage.ID).option("engine.WarnInterpreterOnly", "false").build();
                    engine = e;
                }
            }
        }
        return e;
    }

    /** The Truffle runtime's name: {@code "Interpreted"} without Graal's compiler. */
    public static String implementationName() {
        return engine().getImplementationName();
    }

    /** Runs the graph on inputs in signature order (already validated); returns the results in order. */
    public List<DenseElementsAttr> run(List<DenseElementsAttr> inputs) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model was closed");
            }
            Value v = callable.execute((Object) inputs.toArray(DenseElementsAttr[]::new));
            GraphRootNode.Outcome outcome = v.asHostObject();
            if (outcome.error() != null) {
                throw outcome.error();
            }
            return List.of(outcome.results());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The input shapes and dtypes seen so far. */
    public GraphProfile profile() {
        return profile;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                context.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
