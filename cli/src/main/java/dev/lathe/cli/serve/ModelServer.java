package dev.lathe.cli.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lathe.backend.cpu.ModelAssertionException;
import dev.lathe.runtime.CompiledModel;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/JSON endpoint for one {@link CompiledModel}, on loopback only, built on the
 * public runtime API (JDK {@link HttpServer}):
 *
 * <ul>
 *   <li>{@code POST /v1/run} with {@code {"inputs": {"NAME": {"dtype": "float32", "shape": [..],
 *       "data": [..]}}}} answers {@code {"outputs": {...}}} in the same form ({@code data} flat,
 *       row-major; nested arrays are accepted and flattened);</li>
 *   <li>{@code GET /v1/model}: the signature ({@code -1} for a dim each call fixes);</li>
 *   <li>{@code GET /healthz}: {@code {"status": "ok"}}.</li>
 * </ul>
 *
 * A bad request gets a 4xx with {@code {"error": "..."}} saying what is wrong; a model assertion
 * that fails on the given data (an index out of range, ...) a 422. Nothing answers with a stack
 * trace, and each request runs on its own (the model is thread-safe), so one bad request does
 * not affect another.
 */
public final class ModelServer implements AutoCloseable {

    /** Requests larger than this are refused (413) before they are parsed. */
    static final int MAX_BODY_BYTES = 256 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CompiledModel model;
    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicInteger served = new AtomicInteger();

    /** Listens on 127.0.0.1:{@code port} ({@code 0}: any free port) with {@code workers} request threads. */
    public ModelServer(CompiledModel model, int port, int workers) throws IOException {
        this.model = model;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.workers = Executors.newFixedThreadPool(workers);
        server.setExecutor(this.workers);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int served() {
        return served.get();
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            served.incrementAndGet();
            int status;
            JsonNode body;
            try {
                String path = ex.getRequestURI().getPath();
                String method = ex.getRequestMethod();
                switch (path) {
                    case "/healthz" -> {
                        requireMethod(method, "GET");
                        body = JSON.createObjectNode().put("status", "ok");
                    }
                    case "/v1/model" -> {
                        requireMethod(method, "GET");
                        body = signature();
                    }
                    case "/v1/run" -> {
                        requireMethod(method, "POST");
                        body = run(readBody(ex));
                    }
                    default -> throw new HttpError(404, "no such endpoint " + path
                            + "; try POST /v1/run, GET /v1/model or GET /healthz");
                }
                status = 200;
            } catch (HttpError e) {
                status = e.status;
                body = error(e.getMessage());
            } catch (JsonProcessingException e) {
                status = 400;
                body = error("the body is not valid JSON: " + e.getOriginalMessage());
            } catch (IllegalArgumentException e) {
                status = 400;
                body = error(e.getMessage());
            } catch (ModelAssertionException e) {
                status = 422;
                body = error("the model rejected the input data: " + e.getMessage());
            } catch (RuntimeException | OutOfMemoryError e) {
                status = 500;
                body = error("internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            send(ex, status, body);
        } catch (IOException | RuntimeException e) {
            // The client went away while we answered: nothing more to do for this exchange.
        }
    }

    private JsonNode signature() {
        ObjectNode o = JSON.createObjectNode();
        o.set("inputs", infos(model.inputs()));
        o.set("outputs", infos(model.outputs()));
        return o;
    }

    private static ArrayNode infos(List<TensorInfo> infos) {
        ArrayNode a = JSON.createArrayNode();
        for (TensorInfo t : infos) {
            ObjectNode o = a.addObject().put("name", t.name()).put("dtype", t.dtype().jsonName());
            ArrayNode shape = o.putArray("shape");
            t.shape().forEach(shape::add);
        }
        return a;
    }

    private JsonNode run(byte[] request) throws IOException {
        JsonNode root = JSON.readTree(request);
        if (root == null || !root.isObject() || !root.path("inputs").isObject()) {
            throw new HttpError(400, "expected {\"inputs\": {\"NAME\": {\"dtype\": ..., \"shape\": [...], \"data\": [...]}}}");
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("inputs").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            inputs.put(e.getKey(), JsonTensors.read(e.getKey(), e.getValue()));
        }
        Map<String, Tensor> outputs = model.run(inputs);
        ObjectNode out = JSON.createObjectNode();
        ObjectNode values = out.putObject("outputs");
        outputs.forEach((name, t) -> values.set(name, JsonTensors.write(t)));
        return out;
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new HttpError(405, "use " + expected + " here, not " + method);
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new HttpError(413, "the request body exceeds " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message == null ? "bad request" : message);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        workers.shutdown();
    }

    /** An answer other than 200, with its message. */
    static final class HttpError extends RuntimeException {
        final int status;

        HttpError(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Tensors as JSON: {@code {"dtype": "float32", "shape": [2, 3], "data": [...]}}. */
    static final class JsonTensors {
        private JsonTensors() {}

        static Tensor read(String name, JsonNode node) {
            if (!node.isObject()) {
                throw new IllegalArgumentException("input '" + name + "': expected {\"dtype\", \"shape\", \"data\"}");
            }
            JsonNode dtypeNode = node.get("dtype");
            if (dtypeNode == null || !dtypeNode.isTextual()) {
                throw new IllegalArgumentException("input '" + name + "': \"dtype\" must be a string such as \"float32\"");
            }
            DType dtype;
            try {
                dtype = DType.fromName(dtypeNode.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("input '" + name + "': " + e.getMessage());
            }
            JsonNode shapeNode = node.get("shape");
            if (shapeNode == null || !shapeNode.isArray()) {
                throw new IllegalArgumentException("input '" + name + "': \"shape\" must be an array of dims");
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                    throw new IllegalArgumentException("input '" + name + "': shape " + shapeNode + " must hold non-negative integers");
                }
                shape[i] = d.asLong();
            }
            JsonNode data = node.get("data");
            if (data == null || !data.isArray()) {
                throw new IllegalArgumentException("input '" + name + "': \"data\" must be an array of numbers");
            }
            List<JsonNode> flat = new ArrayList<>();
            flatten(name, data, flat);
            long count = 1;
            for (long d : shape) {
                count = Math.multiplyExact(count, d);
            }
            if (count != flat.size()) {
                throw new IllegalArgumentException("input '" + name + "': shape " + shapeNode + " holds " + count
                        + " elements, got " + flat.size() + " values");
            }
            if (dtype.isFloat()) {
                double[] v = new double[flat.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = flat.get(i).asDouble();
                }
                return Tensor.ofNumbers(dtype, v, shape);
            }
            long[] v = new long[flat.size()];
            for (int i = 0; i < v.length; i++) {
                JsonNode x = flat.get(i);
                if (x.isBoolean()) {
                    v[i] = x.asBoolean() ? 1 : 0;
                } else if (x.isIntegralNumber() && x.canConvertToLong()) {
                    v[i] = x.asLong();
                } else {
                    throw new IllegalArgumentException("input '" + name + "': " + dtype.jsonName() + " data must be integers, got " + x);
                }
            }
            return Tensor.ofLongs(dtype, v, shape);
        }

        private static void flatten(String name, JsonNode data, List<JsonNode> out) {
            for (JsonNode x : data) {
                if (x.isArray()) {
                    flatten(name, x, out);
                } else if (x.isNumber() || x.isBoolean()) {
                    out.add(x);
                } else {
                    throw new IllegalArgumentException("input '" + name + "': data must hold numbers, got " + x);
                }
            }
        }

        static ObjectNode write(Tensor t) {
            ObjectNode o = JSON.createObjectNode().put("dtype", t.dtype().jsonName());
            ArrayNode shape = o.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            ArrayNode data = o.putArray("data");
            long n = t.numElements();
            if (t.dtype() == DType.FLOAT32) {
                for (float f : t.toFloatArray()) {
                    data.add(f);
                }
            } else if (t.dtype().isFloat()) {
                for (long i = 0; i < n; i++) {
                    data.add(t.getDouble(i));
                }
            } else if (t.dtype() == DType.BOOL) {
                for (long i = 0; i < n; i++) {
                    data.add(t.getLong(i) != 0);
                }
            } else {
                for (long i = 0; i < n; i++) {
                    data.add(t.getLong(i));
                }
            }
            return o;
        }
    }
}
