package dev.lathe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The statistics and request/answer handling of bench/serve-load, without a server. */
class ServeLoadStatsTest {

    @Test
    void nearestRankPercentiles() {
        List<Double> values = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            values.add((double) i);
        }
        Collections.shuffle(values, new Random(3));
        LatencyStats s = new LatencyStats(values);
        assertEquals(200, s.count());
        assertEquals(100, s.percentile(50));
        assertEquals(198, s.percentile(99));
        assertEquals(200, s.percentile(100));
        assertEquals(1, s.percentile(0.1));
        assertEquals(100.5, s.mean(), 1e-12);
        assertEquals(1, s.min());
        assertEquals(200, s.max());
    }

    @Test
    void smallAndEmptySets() {
        LatencyStats three = new LatencyStats(30.0, 10.0, 20.0);
        assertEquals(20, three.percentile(50));
        assertEquals(30, three.percentile(99)); // fewer than 100 values: p99 is the maximum
        LatencyStats one = new LatencyStats(7.0);
        assertEquals(7, one.percentile(50));
        assertEquals(7, one.percentile(99));
        LatencyStats none = new LatencyStats(List.of());
        assertTrue(Double.isNaN(none.percentile(50)));
        assertTrue(Double.isNaN(none.mean()));
        assertThrows(IllegalArgumentException.class, () -> one.percentile(0));
        assertEquals("p50 20.0  p99 30.0  mean 20.0  min 10.0  max 30.0", three.describe());
    }

    private static final String SIGNATURE = """
            {"inputs":[{"name":"input_ids","dtype":"int64","shape":[-1,-1]},
                       {"name":"attention_mask","dtype":"int64","shape":[-1,-1]}],
             "outputs":[{"name":"last_hidden_state","dtype":"float32","shape":[-1,-1,2]}]}""";

    @Test
    void requestBodiesFollowTheSignature() throws Exception {
        ServeRequests.Signature sig = ServeRequests.Signature.parse(SIGNATURE.getBytes(StandardCharsets.UTF_8));
        String body = ServeRequests.body(sig, 4, 7);
        assertEquals(body, ServeRequests.body(sig, 4, 7));
        assertTrue(body.matches("\\{\"inputs\": \\{\"input_ids\": \\{\"dtype\": \"int64\", \"shape\": \\[1, 4\\], \"data\": "
                + "\\[101,\\d+,\\d+,102\\]\\}, \"attention_mask\": \\{\"dtype\": \"int64\", \"shape\": \\[1, 4\\], \"data\": \\[1,1,1,1\\]\\}\\}\\}"), body);
        List<ServeRequests.BadRequest> bad = ServeRequests.badRequests(sig, 4);
        assertEquals(List.of(400, 400, 400, 400, 400, 422, 405, 404), bad.stream().map(ServeRequests.BadRequest::expected).toList());
        assertTrue(bad.get(2).body().contains("\"input_ids\": {\"dtype\": \"int64\", \"shape\": [1, 4], \"data\": [1,1,1]}"));
    }

    @Test
    void answersAreCheckedAgainstSignatureAndReference() throws Exception {
        ServeRequests.Signature sig = ServeRequests.Signature.parse(SIGNATURE.getBytes(StandardCharsets.UTF_8));
        Map<String, ServeRequests.Tensor> ref = outputs("[1, 2, 2]", "[0.5, -1, 2, 3]");
        assertNull(ServeRequests.check(sig, ref, null, 1e-5, 1e-6));
        assertNull(ServeRequests.check(sig, outputs("[1, 2, 2]", "[0.5, -1, 2, 3.000001]"), ref, 1e-5, 1e-6));
        assertNotNull(ServeRequests.check(sig, outputs("[1, 2, 2]", "[0.5, -1, 2, 3.1]"), ref, 1e-5, 1e-6));
        assertNotNull(ServeRequests.check(sig, outputs("[1, 2, 3]", "[0.5, -1, 2, 3]"), null, 1e-5, 1e-6)); // static dim 2
        assertNotNull(ServeRequests.check(sig, outputs("[1, 2, 2]", "[0.5, -1, 2]"), null, 1e-5, 1e-6)); // too few values
        assertNotNull(ServeRequests.check(sig, outputs("[1, 1, 2]", "[0.5, -1]"), ref, 1e-5, 1e-6)); // not the reference's shape
        assertNotNull(ServeRequests.check(sig, Map.of(), null, 1e-5, 1e-6));
    }

    private static Map<String, ServeRequests.Tensor> outputs(String shape, String data) throws Exception {
        String json = "{\"outputs\": {\"last_hidden_state\": {\"dtype\": \"float32\", \"shape\": " + shape + ", \"data\": " + data + "}}}";
        return ServeRequests.parseOutputs(json.getBytes(StandardCharsets.UTF_8));
    }
}
