package dev.lathe.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.frontend.IRParser;
import dev.lathe.runtime.CompiledModel;
import dev.lathe.runtime.Lathe;
import dev.lathe.runtime.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code lathe serve}'s endpoint on an ephemeral loopback port: good and bad requests side by side. */
class ModelServerTest {

    private static final String MODEL = """
            func.func @main(%x: tensor<?x3xf32>, %k: tensor<3xi64>) -> (tensor<?x3xf32>, tensor<3xi64>) {
              %0 = "nn.relu"(%x) : (tensor<?x3xf32>) -> tensor<?x3xf32>
              %1 = "nn.add"(%k, %k) : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
              func.return %0, %1 : tensor<?x3xf32>, tensor<3xi64>
            }
            """;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static CompiledModel model;
    private static ModelServer server;
    private static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        model = Lathe.compile(IRParser.parse(MODEL, "serve.lir"), Options.defaults().withCacheDir(null).withThreads(2));
        server = new ModelServer(model, 0, 4);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return client.send(post0(body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest post0(String body) {
        return HttpRequest.newBuilder(uri("/v1/run")).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static final String GOOD = """
            {"inputs": {"x": {"dtype": "float32", "shape": [2, 3], "data": [[1, -2, 3], [-4, 5.5, -6]]},
                        "k": {"dtype": "int64", "shape": [3], "data": [1, 2, 9007199254740993]}}}
            """;

    @Test
    void healthAndSignature() throws Exception {
        assertEquals(200, get("/healthz").statusCode());
        JsonNode sig = JSON.readTree(get("/v1/model").body());
        assertEquals("x", sig.at("/inputs/0/name").asText());
        assertEquals("float32", sig.at("/inputs/0/dtype").asText());
        assertEquals("[-1,3]", sig.at("/inputs/0/shape").toString());
        assertEquals("int64", sig.at("/outputs/1/dtype").asText());
    }

    @Test
    void runAnswersInTheSameForm() throws Exception {
        HttpResponse<String> r = post(GOOD);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode out = JSON.readTree(r.body()).get("outputs");
        assertEquals("[1.0,0.0,3.0,0.0,5.5,0.0]", out.at("/result0/data").toString());
        assertEquals("[2,3]", out.at("/result0/shape").toString());
        assertEquals("[2,4,18014398509481986]", out.at("/result1/data").toString(), "int64 exact beyond 2^53");
    }

    @Test
    void badRequestsGetClearFourHundreds() throws Exception {
        assertError(post("{not json"), 400, "not valid JSON");
        assertError(post("{\"inputs\": 3}"), 400, "expected {\"inputs\"");
        assertError(post(GOOD.replace("\"int64\"", "\"float32\"")), 400, "input 'k': expected i64 [3], got f32 [3]");
        assertError(post(GOOD.replace("\"shape\": [3]", "\"shape\": [4]")), 400, "input 'k': shape [4] holds 4 elements, got 3 values");
        assertError(post(GOOD.replace("\"k\"", "\"q\"")), 400, "unknown input 'q'");
        assertError(post(GOOD.replace("\"int64\"", "\"complex\"")), 400, "unknown dtype 'complex'");
        assertError(post(GOOD.replace("[1, 2, 9007199254740993]", "[1, \"two\", 3]")), 400, "data must hold numbers");
        assertError(get("/v1/run"), 405, "use POST");
        assertError(get("/nope"), 404, "no such endpoint");
    }

    @Test
    void badRequestsDoNotDisturbGoodOnes() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(client.sendAsync(post0(i % 2 == 0 ? GOOD : "{\"inputs\": {\"x\": 1}}"), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < all.size(); i++) {
            HttpResponse<String> r = all.get(i).get();
            assertEquals(i % 2 == 0 ? 200 : 400, r.statusCode(), r.body());
        }
        assertEquals(200, post(GOOD).statusCode());
    }

    private static void assertError(HttpResponse<String> r, int status, String fragment) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.contains(fragment), "'" + error + "' should contain '" + fragment + "'");
        assertTrue(!r.body().contains("\tat "), "no stack trace");
    }
}
