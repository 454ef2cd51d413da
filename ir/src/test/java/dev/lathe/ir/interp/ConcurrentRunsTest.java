package dev.lathe.ir.interp;

import static dev.lathe.ir.interp.InterpTestIR.tensor;
import static dev.lathe.ir.interp.InterpTestIR.types;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.ResourceBlob;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.attr.DenseResourceAttr;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrentRunsTest {

    private static DenseElementsAttr random(String type, long seed) {
        TensorType t = tensor(type);
        Random r = new Random(seed);
        double[] values = new double[(int) t.numElements()];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextGaussian();
        }
        return DenseElementsAttr.fromDoubles(t, values);
    }

    /** Two layers, relu(relu(x * w1 + b) * w2), with resource weights, called through a helper function. */
    private static InterpTestIR twoLayers() {
        InterpTestIR ir = new InterpTestIR();
        ir.module.putResource("w1", new ResourceBlob(random("tensor<64x96xf32>", 1).toBytes(), 16));
        ir.module.putResource("w2", new ResourceBlob(random("tensor<96x32xf32>", 2).toBytes(), 16));
        Type h = tensor("tensor<?x96xf32>");
        Type out = tensor("tensor<?x32xf32>");
        InterpTestIR.Func layer = ir.func("layer1", List.of("x"), types("tensor<?x64xf32>"), List.of(h));
        Value w1 = layer.constant(new DenseResourceAttr("w1", tensor("tensor<64x96xf32>")));
        Value b = layer.constant(random("tensor<96xf32>", 3));
        layer.ret(layer.op("nn.relu", h, layer.op("nn.add", h, layer.op("nn.matmul", h, layer.arg(0), w1), b)));
        InterpTestIR.Func main = ir.func("main", List.of("x"), types("tensor<?x64xf32>"), List.of(out));
        Value hidden = main.call("layer1", List.of(h), main.arg(0)).result();
        Value w2 = main.constant(new DenseResourceAttr("w2", tensor("tensor<96x32xf32>")));
        main.ret(main.op("nn.relu", out, main.op("nn.matmul", out, hidden, w2)));
        return ir;
    }

    @Test
    void eightThreadsGetTheResultsOfOneThread() throws Exception {
        InterpTestIR ir = twoLayers();
        List<DenseElementsAttr> inputs = new ArrayList<>();
        List<DenseElementsAttr> expected = new ArrayList<>();
        Interpreter reference = new Interpreter(ir.module);
        for (int i = 0; i < 8; i++) {
            inputs.add(random("tensor<" + (i + 1) + "x64xf32>", 100 + i));
            expected.add(reference.run("main", Map.of("x", inputs.get(i))).get("result0"));
        }
        // A fresh interpreter, so that building plans and decoding constants also race.
        Interpreter shared = new Interpreter(ir.module);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<DenseElementsAttr>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<DenseElementsAttr> got = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        for (int k = 0; k < inputs.size(); k++) {
                            int i = (first + k) % inputs.size();
                            got.add(shared.run("main", Map.of("x", inputs.get(i))).get("result0"));
                        }
                    }
                    return got;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                List<DenseElementsAttr> got = futures.get(t).get();
                for (int j = 0; j < got.size(); j++) {
                    int i = (t + j % inputs.size()) % inputs.size();
                    assertEquals(expected.get(i), got.get(j), "thread " + t + ", run " + j);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
