package dev.lathe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The requests {@code bench/serve-load} sends to {@code lathe serve} and how it checks the answers
 * (the JSON of docs/embedding.md#serving). Inputs follow the model's signature ({@code GET
 * /v1/model}) with a leading {@code -1} dim set to 1 (batch) and any other {@code -1} to the
 * sequence length; the values suit a BERT-style encoder such as MiniLM: int64 inputs named
 * {@code *mask*} are all 1, {@code *type*} all 0, any other int64 input gets token ids ([CLS]
 * 101, random ids in [1000, 30000), [SEP] 102); float inputs get uniform values in [-1, 1).
 */
final class ServeRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServeRequests() {}

    /** One input or output of the signature; {@code -1} for a dim set per call. */
    record Port(String name, String dtype, long[] shape) {}

    /** The model's signature as {@code GET /v1/model} gives it. */
    record Signature(List<Port> inputs, List<Port> outputs) {
        static Signature parse(byte[] json) throws IOException {
            JsonNode root = JSON.readTree(json);
            return new Signature(ports(root.path("inputs")), ports(root.path("outputs")));
        }

        private static List<Port> ports(JsonNode array) {
            List<Port> out = new ArrayList<>();
            for (JsonNode p : array) {
                long[] shape = new long[p.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = p.path("shape").get(i).asLong();
                }
                out.add(new Port(p.path("name").asText(), p.path("dtype").asText(), shape));
            }
            return out;
        }
    }

    /** One output tensor of an answer. */
    record Tensor(String dtype, long[] shape, double[] data) {}

    /** A leading -1 (batch) becomes 1, any other -1 the sequence length. */
    static long[] concreteShape(long[] shape, int seq) {
        long[] s = shape.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                s[i] = i == 0 ? 1 : seq;
            }
        }
        return s;
    }

    /** The body of a good {@code POST /v1/run}, the same for the same seed. */
    static String body(Signature sig, int seq, long seed) {
        Random random = new Random(seed);
        Map<String, String> inputs = new LinkedHashMap<>();
        for (Port p : sig.inputs()) {
            inputs.put(p.name(), tensorJson(p.dtype(), concreteShape(p.shape(), seq), values(p, concreteShape(p.shape(), seq), random)));
        }
        return inputsJson(inputs);
    }

    private static String values(Port p, long[] shape, Random random) {
        long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        String name = p.name().toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        for (long i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            if (p.dtype().startsWith("float")) {
                b.append(random.nextFloat() * 2 - 1);
            } else if (name.contains("mask")) {
                b.append(1);
            } else if (name.contains("type")) {
                b.append(0);
            } else {
                long last = shape.length == 0 ? 1 : shape[shape.length - 1];
                long pos = last == 0 ? 0 : i % last;
                b.append(pos == 0 ? 101 : pos == last - 1 ? 102 : 1000 + random.nextInt(29_000));
            }
        }
        return b.toString();
    }

    private static String tensorJson(String dtype, long[] shape, String data) {
        StringBuilder b = new StringBuilder("{\"dtype\": \"").append(dtype).append("\", \"shape\": [");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append("], \"data\": [").append(data).append("]}").toString();
    }

    private static String inputsJson(Map<String, String> inputs) {
        StringBuilder b = new StringBuilder("{\"inputs\": {");
        inputs.forEach((name, t) -> b.append(b.charAt(b.length() - 1) == '{' ? "" : ", ").append('"').append(name).append("\": ").append(t));
        return b.append("}}").toString();
    }

    /** A request that must get the 4xx {@code expected} with an {@code {"error": ...}} body. */
    record BadRequest(String what, String method, String path, String body, int expected) {}

    /** Bad requests of different kinds for this signature and sequence length. */
    static List<BadRequest> badRequests(Signature sig, int seq) {
        String good = body(sig, seq, 0);
        List<BadRequest> out = new ArrayList<>();
        out.add(new BadRequest("malformed JSON", "POST", "/v1/run", good.substring(0, good.length() / 2), 400));
        Port first = sig.inputs().getFirst();
        long[] shape = concreteShape(first.shape(), seq);
        long n = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        Map<String, String> inputs = new LinkedHashMap<>();
        Random random = new Random(1);
        for (Port p : sig.inputs()) {
            inputs.put(p.name(), tensorJson(p.dtype(), concreteShape(p.shape(), seq), values(p, concreteShape(p.shape(), seq), random)));
        }
        String otherDtype = first.dtype().startsWith("float") ? "int64" : "float32";
        out.add(new BadRequest("wrong dtype", "POST", "/v1/run", with(inputs, first.name(),
                tensorJson(otherDtype, shape, "1,".repeat((int) n - 1) + "1")), 400));
        out.add(new BadRequest("data short of the shape", "POST", "/v1/run", with(inputs, first.name(),
                tensorJson(first.dtype(), shape, "1,".repeat((int) n - 2) + "1")), 400));
        out.add(new BadRequest("unknown input", "POST", "/v1/run", with(inputs, "no_such_input", inputs.get(first.name())), 400));
        Map<String, String> missing = new LinkedHashMap<>(inputs);
        missing.remove(sig.inputs().getLast().name());
        out.add(new BadRequest("missing input", "POST", "/v1/run", inputsJson(missing), 400));
        if (first.dtype().equals("int64") && first.name().toLowerCase(Locale.ROOT).contains("ids")) {
            // A token id past any vocabulary: the embedding Gather's bounds assertion answers 422.
            out.add(new BadRequest("token id out of range", "POST", "/v1/run", with(inputs, first.name(),
                    tensorJson("int64", shape, "101," + "2000000000,".repeat((int) n - 2) + "102")), 422));
        }
        out.add(new BadRequest("GET on /v1/run", "GET", "/v1/run", null, 405));
        out.add(new BadRequest("no such endpoint", "POST", "/v1/nothing", good, 404));
        return out;
    }

    private static String with(Map<String, String> inputs, String name, String tensor) {
        Map<String, String> m = new LinkedHashMap<>(inputs);
        m.put(name, tensor);
        return inputsJson(m);
    }

    /** The outputs of a 200 answer by name. */
    static Map<String, Tensor> parseOutputs(byte[] json) throws IOException {
        JsonNode outputs = JSON.readTree(json).path("outputs");
        if (!outputs.isObject()) {
            throw new IOException("no \"outputs\" object in the answer");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = outputs.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode t = e.getValue();
            long[] shape = new long[t.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.path("shape").get(i).asLong();
            }
            JsonNode data = t.path("data");
            double[] values = new double[data.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = data.get(i).asDouble();
            }
            out.put(e.getKey(), new Tensor(t.path("dtype").asText(), shape, values));
        }
        return out;
    }

    /**
     * Why an answer's outputs are wrong, or null when they are right: every output of the
     * signature is there with its dtype, its static dims, as many values as its shape holds, all
     * finite, and (when a reference is given) the reference's shape and values within
     * {@code |got - ref| <= atol + rtol |ref|}.
     */
    static String check(Signature sig, Map<String, Tensor> got, Map<String, Tensor> reference, double rtol, double atol) {
        for (Port p : sig.outputs()) {
            Tensor t = got.get(p.name());
            if (t == null) {
                return "output '" + p.name() + "' is missing";
            }
            if (!t.dtype().equals(p.dtype())) {
                return "output '" + p.name() + "' is " + t.dtype() + ", the signature says " + p.dtype();
            }
            if (t.shape().length != p.shape().length) {
                return "output '" + p.name() + "' has shape " + Arrays.toString(t.shape()) + ", the signature says " + Arrays.toString(p.shape());
            }
            long n = 1;
            for (int i = 0; i < t.shape().length; i++) {
                if (p.shape()[i] >= 0 && t.shape()[i] != p.shape()[i]) {
                    return "output '" + p.name() + "' has shape " + Arrays.toString(t.shape()) + ", the signature says " + Arrays.toString(p.shape());
                }
                n *= t.shape()[i];
            }
            if (t.data().length != n) {
                return "output '" + p.name() + "' has " + t.data().length + " values for shape " + Arrays.toString(t.shape());
            }
            for (double v : t.data()) {
                if (!Double.isFinite(v) && p.dtype().startsWith("float")) {
                    return "output '" + p.name() + "' holds " + v;
                }
            }
            if (reference != null) {
                Tensor r = reference.get(p.name());
                if (!Arrays.equals(r.shape(), t.shape())) {
                    return "output '" + p.name() + "' has shape " + Arrays.toString(t.shape()) + ", the same input gave " + Arrays.toString(r.shape());
                }
                for (int i = 0; i < n; i++) {
                    if (Math.abs(t.data()[i] - r.data()[i]) > atol + rtol * Math.abs(r.data()[i])) {
                        return "output '" + p.name() + "'[" + i + "] = " + t.data()[i] + ", the same input gave " + r.data()[i];
                    }
                }
            }
        }
        return null;
    }
}
