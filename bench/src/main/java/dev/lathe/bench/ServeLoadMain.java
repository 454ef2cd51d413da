package dev.lathe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench/serve-load MODEL [--requests N] [--concurrency C] [--seq S,S...] [--bad B]
 * [--max-seconds T] [--threads N] [--workers N] [--cache-dir DIR] [--distinct D] [--request-seconds T]
 * [--startup-seconds T] [--lathe PATH]}: a bounded load test of {@code lathe serve} on loopback
 * (issue 7). Defaults: N 200, C 4, S 16,128, B 8, T 60, D 4; {@code --threads}/{@code --workers}
 * go to the server (its defaults when absent).
 *
 * <p>Starts {@code ./lathe serve MODEL --port 0} as a child process (default MODEL: {@code minilm},
 * written to a temporary file; {@code --no-cache} unless {@code --cache-dir} is given), reads
 * the signature ({@code GET /v1/model}), then per sequence length: a warm-up of D distinct
 * inputs sent one at a time (the first compiles that shape's specialization; the answers are the
 * references), and a load phase of N {@code POST /v1/run} from C client threads (JDK
 * {@link HttpClient}, HTTP/1.1), cycling over the D inputs, with B bad requests of different kinds
 * spread among them. Every good answer must be a 200 whose outputs match the signature and the
 * reference for its input; every bad one the 4xx its kind calls for, with an {@code error}
 * message and no stack trace. Latency is the client's: request sent to answer body received
 * (good requests only; checking the answer is not timed). Memory is the server JVM's
 * {@code VmRSS} (and peak {@code VmHWM}) from {@code /proc/PID/status}: at start, after the
 * warm-ups ("before") and after the load ("after"). Load phases stop sending at
 * {@code --max-seconds} (default 60, all phases together); requests not sent count as errors.
 * Ends with one line {@code serve_load: errors=E ...}; the exit code is 1 when E > 0.
 */
public final class ServeLoadMain {

    /** Answers for the same input agree this closely (the same code, run concurrently). */
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-6;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI base;
    private final Duration requestTimeout;
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();

    private ServeLoadMain(int port, Duration requestTimeout) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        this.base = URI.create("http://127.0.0.1:" + port);
        this.requestTimeout = requestTimeout;
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, List.of("requests", "concurrency", "seq", "bad", "distinct", "max-seconds",
                "startup-seconds", "request-seconds", "threads", "workers", "cache-dir", "lathe"));
        int requests = args.getInt("requests", 200);
        int concurrency = args.getInt("concurrency", 4);
        int[] seqs = Arrays.stream(args.get("seq", "16,128").split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        int bad = args.getInt("bad", 8);
        int distinct = args.getInt("distinct", 4);
        double maxSeconds = args.getDouble("max-seconds", 60);
        if (requests < 1 || concurrency < 1 || distinct < 1 || bad < 0 || seqs.length == 0) {
            throw new IllegalArgumentException("--requests, --concurrency and --distinct must be at least 1, --bad at least 0");
        }
        String launcherArg = args.get("lathe", System.getenv("LATHE_LAUNCHER"));
        if (launcherArg == null) {
            throw new IllegalArgumentException("give the lathe launcher with --lathe PATH (bench/serve-load passes the repository's ./lathe)");
        }
        String modelArg = args.positional.isEmpty() ? "minilm" : args.positional.getFirst();
        Path model = modelFile(modelArg);
        List<String> serverArgs = new ArrayList<>();
        if (args.has("threads")) {
            serverArgs.addAll(List.of("--threads", args.get("threads", "")));
        }
        if (args.has("workers")) {
            serverArgs.addAll(List.of("--workers", args.get("workers", "")));
        }
        serverArgs.addAll(args.has("cache-dir") ? List.of("--cache-dir", args.get("cache-dir", "")) : List.of("--no-cache"));

        System.out.printf(Locale.ROOT, "load: %d requests (+%d bad) per sequence length %s, %d clients, %d distinct inputs, at most %.0f s; client cores %d%n",
                requests, bad, Arrays.toString(seqs), concurrency, distinct, maxSeconds, Runtime.getRuntime().availableProcessors());
        int failures;
        try (ServerProcess server = ServerProcess.start(Path.of(launcherArg), model, serverArgs, args.getDouble("startup-seconds", 300))) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            ServerProcess.Memory atStart = server.memory();
            System.out.printf(Locale.ROOT, "server pid %d on port %d; RSS at start %.0f MB%n", server.pid(), server.port(), atStart.rssMb());
            ServeLoadMain load = new ServeLoadMain(server.port(), Duration.ofSeconds((long) args.getDouble("request-seconds", 60)));
            failures = load.run(server, atStart, requests, concurrency, seqs, bad, distinct, maxSeconds);
        } finally {
            if (modelArg.equals("minilm")) {
                Files.deleteIfExists(model);
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /** The model as a file for the server: {@code minilm} is copied out of its jar. */
    private static Path modelFile(String arg) throws IOException {
        ModelSource source = ModelSource.resolve(arg);
        if (arg.equals("minilm")) {
            Path tmp = Files.createTempFile("serve-load-", "-" + source.name());
            Files.write(tmp, source.bytes());
            return tmp;
        }
        return source.baseDir().resolve(source.name());
    }

    private int run(ServerProcess server, ServerProcess.Memory atStart, int requests, int concurrency, int[] seqs, int bad,
            int distinct, double maxSeconds) throws Exception {
        ServeRequests.Signature sig = ServeRequests.Signature.parse(get("/v1/model").body());
        System.out.println("signature: " + describe(sig.inputs()) + " -> " + describe(sig.outputs()));

        // Warm-up: one request at a time per distinct input, which compiles each shape once.
        List<List<String>> bodies = new ArrayList<>();
        List<List<Map<String, ServeRequests.Tensor>>> references = new ArrayList<>();
        for (int seq : seqs) {
            List<String> b = new ArrayList<>();
            List<Map<String, ServeRequests.Tensor>> refs = new ArrayList<>();
            long t0 = System.nanoTime();
            double firstMs = 0;
            for (int d = 0; d < distinct; d++) {
                String body = ServeRequests.body(sig, seq, 1000L * seq + d);
                long r0 = System.nanoTime();
                HttpResponse<byte[]> answer = post("/v1/run", body);
                if (d == 0) {
                    firstMs = (System.nanoTime() - r0) / 1e6;
                }
                if (answer.statusCode() != 200) {
                    throw new IOException("warm-up at seq " + seq + ": status " + answer.statusCode() + ": " + new String(answer.body()));
                }
                Map<String, ServeRequests.Tensor> outputs = ServeRequests.parseOutputs(answer.body());
                String why = ServeRequests.check(sig, outputs, null, RTOL, ATOL);
                if (why != null) {
                    throw new IOException("warm-up at seq " + seq + ": " + why);
                }
                b.add(body);
                refs.add(outputs);
            }
            bodies.add(b);
            references.add(refs);
            System.out.printf(Locale.ROOT, "warm-up seq %d: first request (compiles this shape) %.0f ms, %d requests %.0f ms; outputs %s%n",
                    seq, firstMs, distinct, (System.nanoTime() - t0) / 1e6, shapes(refs.getFirst()));
        }
        ServerProcess.Memory before = server.memory();

        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        List<String> summary = new ArrayList<>();
        int totalErrors = 0;
        for (int s = 0; s < seqs.length; s++) {
            Phase phase = new Phase(seqs[s], bodies.get(s), references.get(s), ServeRequests.badRequests(sig, seqs[s]));
            phase.run(sig, requests, bad, concurrency, deadline);
            totalErrors += phase.errors.get();
            ServerProcess.Memory now = server.memory();
            LatencyStats stats = new LatencyStats(phase.latencies);
            System.out.printf(Locale.ROOT, "seq %d: %d of %d good requests answered right, %d errors, %d not sent; bad requests %d of %d got the right 4xx; %.1f s%n",
                    seqs[s], phase.latencies.size(), requests, phase.errors.get() - phase.unsent.get(), phase.unsent.get(),
                    phase.badRight.get(), phase.badSent.get(), phase.seconds);
            System.out.printf(Locale.ROOT, "  latency ms: %s; throughput %.1f req/s; server RSS %.0f MB%n", stats.describe(),
                    phase.latencies.size() / phase.seconds, now.rssMb());
            summary.add(String.format(Locale.ROOT, "seq%d_p50_ms=%.1f seq%d_p99_ms=%.1f seq%d_rps=%.1f", seqs[s], stats.percentile(50),
                    seqs[s], stats.percentile(99), seqs[s], phase.latencies.size() / phase.seconds));
        }

        if (!server.isAlive()) {
            errors.add("the server exited");
            totalErrors++;
        } else if (get("/healthz").statusCode() != 200) {
            errors.add("GET /healthz after the load did not answer 200");
            totalErrors++;
        }
        ServerProcess.Memory after = server.memory();
        System.out.printf(Locale.ROOT, "server memory (VmRSS of pid %d, /proc/PID/status): at start %.0f MB, before load (after warm-up) %.0f MB, after load %.0f MB; peak (VmHWM) %.0f MB%n",
                server.pid(), atStart.rssMb(), before.rssMb(), after.rssMb(), after.peakMb());
        errors.stream().limit(10).forEach(e -> System.out.println("error: " + e));
        System.out.printf(Locale.ROOT, "serve_load: errors=%d %s rss_before_mb=%.0f rss_after_mb=%.0f rss_peak_mb=%.0f%n", totalErrors,
                String.join(" ", summary), before.rssMb(), after.rssMb(), after.peakMb());
        return totalErrors;
    }

    /** One sequence length's load: N good requests and B bad ones spread among them, from C threads. */
    private final class Phase {
        final int seq;
        final List<String> bodies;
        final List<Map<String, ServeRequests.Tensor>> references;
        final List<ServeRequests.BadRequest> badKinds;
        final Queue<Double> latencies = new ConcurrentLinkedQueue<>();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger unsent = new AtomicInteger();
        final AtomicInteger badSent = new AtomicInteger();
        final AtomicInteger badRight = new AtomicInteger();
        double seconds;

        Phase(int seq, List<String> bodies, List<Map<String, ServeRequests.Tensor>> references, List<ServeRequests.BadRequest> badKinds) {
            this.seq = seq;
            this.bodies = bodies;
            this.references = references;
            this.badKinds = badKinds;
        }

        void run(ServeRequests.Signature sig, int requests, int bad, int concurrency, long deadline) throws InterruptedException {
            // Task i >= 0: good request i; task -k-1: bad request k, placed evenly through the run.
            int total = requests + bad;
            int[] tasks = new int[total];
            int good = 0;
            int badNext = 0;
            for (int i = 0; i < total; i++) {
                boolean badHere = badNext < bad && (long) i * bad >= (long) badNext * total + total / 2;
                tasks[i] = badHere ? -(badNext++) - 1 : good++;
            }
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                    for (int i; (i = next.getAndIncrement()) < total; ) {
                        if (System.nanoTime() > deadline) {
                            unsent.incrementAndGet();
                            errors.incrementAndGet();
                            continue;
                        }
                        if (tasks[i] >= 0) {
                            good(sig, tasks[i]);
                        } else {
                            bad(badKinds.get((-tasks[i] - 1) % badKinds.size()));
                        }
                    }
                }));
            }
            for (Thread t : clients) {
                t.join();
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            if (unsent.get() > 0) {
                ServeLoadMain.this.errors.add("seq " + seq + ": " + unsent.get() + " requests not sent: the time bound was reached");
            }
        }

        private void good(ServeRequests.Signature sig, int i) {
            int d = i % bodies.size();
            try {
                long r0 = System.nanoTime();
                HttpResponse<byte[]> answer = post("/v1/run", bodies.get(d));
                double ms = (System.nanoTime() - r0) / 1e6;
                if (answer.statusCode() != 200) {
                    fail("status " + answer.statusCode() + ": " + new String(answer.body()));
                    return;
                }
                String why = ServeRequests.check(sig, ServeRequests.parseOutputs(answer.body()), references.get(d), RTOL, ATOL);
                if (why != null) {
                    fail(why);
                    return;
                }
                latencies.add(ms);
            } catch (IOException e) {
                fail(e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }

        private void bad(ServeRequests.BadRequest r) {
            badSent.incrementAndGet();
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(r.path())).timeout(requestTimeout);
                b = r.body() == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(r.body()));
                HttpResponse<byte[]> answer = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                String text = new String(answer.body());
                JsonNode body = JSON.readTree(answer.body());
                if (answer.statusCode() != r.expected()) {
                    fail("bad request (" + r.what() + "): status " + answer.statusCode() + ", expected " + r.expected() + ": " + text);
                } else if (!body.path("error").isTextual() || text.contains("\\tat ") || text.contains("\tat ")) {
                    fail("bad request (" + r.what() + "): the answer is not a plain {\"error\": ...}: " + text);
                } else {
                    badRight.incrementAndGet();
                }
            } catch (IOException e) {
                fail("bad request (" + r.what() + "): " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }

        private void fail(String why) {
            errors.incrementAndGet();
            ServeLoadMain.this.errors.add("seq " + seq + ": " + why);
        }
    }

    private HttpResponse<byte[]> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String describe(List<ServeRequests.Port> ports) {
        List<String> out = new ArrayList<>();
        for (ServeRequests.Port p : ports) {
            out.add(p.name() + " " + p.dtype() + " " + Arrays.toString(p.shape()));
        }
        return String.join(", ", out);
    }

    private static String shapes(Map<String, ServeRequests.Tensor> outputs) {
        List<String> out = new ArrayList<>();
        outputs.forEach((name, t) -> out.add(name + " " + Arrays.toString(t.shape())));
        return String.join(", ", out);
    }
}
