package dev.lathe.cli;

import dev.lathe.cli.serve.ModelServer;
import dev.lathe.runtime.CompileReport;
import dev.lathe.runtime.CompiledModel;
import dev.lathe.runtime.Lathe;
import dev.lathe.runtime.Options;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe serve MODEL --port P}: {@link ModelServer} on loopback until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves a model (.onnx or .lir) over HTTP/JSON on 127.0.0.1: POST /v1/run, GET /v1/model,",
                "GET /healthz (docs/embedding.md#serving). Compiled code comes from the compile cache when it can."})
public final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a .onnx model or a .lir module")
    Path model;

    @Option(names = "--port", required = true, paramLabel = "P", description = "the port (0: any free port, printed)")
    int port;

    @Option(names = "--threads", paramLabel = "N",
            description = "threads per call's parallel loops (default: cores / workers, at least 1)")
    Integer threads;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "requests served at once (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "the compile cache (default: ~/.cache/lathe/compiled)")
    Path cacheDir;

    @Option(names = "--no-cache", description = "keep compiled code in this process only")
    boolean noCache;

    @Option(names = "-O0", description = "skip the graph optimization pipeline")
    boolean noOptimize;

    @CommandLine.Mixin
    TuneOption tuneOption = new TuneOption();

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || (threads != null && threads < 1)) {
            throw new UserErrorException("--threads and --workers must be at least 1");
        }
        // Workers x threads beyond the cores only queues threads behind each other: on 2 cores,
        // 4 workers of 2 threads halved throughput against 1 thread each (BENCHMARKS.md, Serving).
        int perCall = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        Options options = tuneOption.apply(RuntimeOptions.of(perCall, noOptimize, cacheDir, noCache));
        PrintWriter out = spec.commandLine().getOut();
        CompiledModel compiled = Lathe.compile(ModelLoader.load(model), options);
        for (CompileReport r : compiled.compileReports()) {
            out.println("compiled for " + r.inputShapes() + ": " + r.describe());
        }
        ModelServer server = new ModelServer(compiled, port, workers);
        server.start();
        out.println("serving " + model + " on http://127.0.0.1:" + server.port() + " (POST /v1/run, GET /v1/model, GET /healthz)");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            compiled.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
