package dev.lathe.frontend.onnx.converters;

import dev.lathe.frontend.onnx.ConversionContext;
import dev.lathe.frontend.onnx.OnnxNode;
import dev.lathe.frontend.onnx.OnnxOpConverter;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.ArrayAttr;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.FloatAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.nn.TfIdfVectorizerOp;
import dev.lathe.ir.type.ScalarType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX {@code TfIdfVectorizer} (opset 9) onto {@code nn.tf_idf_vectorizer}: {@code pool_int64s}
 * becomes {@code pool}, {@code mode} is lower-cased, {@code weights} (floats) an array of f32;
 * the other attributes are copied. {@code pool_strings} (string tokens) is an unsupported form.
 */
final class TfIdfVectorizerConverter implements OnnxOpConverter {

    @Override
    public List<Value> convert(OnnxNode node, ConversionContext ctx) {
        if (node.has("pool_strings")) {
            throw node.unsupported("string tokens (pool_strings); Lathe has no string tensors");
        }
        Map<String, Attribute> attrs = new TreeMap<>();
        attrs.put("pool", ArrayAttr.ofLongs(required(node, "pool_int64s")));
        attrs.put("ngram_counts", ArrayAttr.ofLongs(required(node, "ngram_counts")));
        attrs.put("ngram_indexes", ArrayAttr.ofLongs(required(node, "ngram_indexes")));
        for (String name : List.of("min_gram_length", "max_gram_length", "max_skip_count")) {
            if (!node.has(name)) {
                throw node.error("requires attribute '" + name + "'");
            }
            attrs.put(name, IntegerAttr.of(node.intOr(name, 0)));
        }
        String mode = node.string("mode");
        if (mode == null) {
            throw node.error("requires attribute 'mode'");
        }
        attrs.put("mode", new StringAttr(mode.toLowerCase(Locale.ROOT)));
        float[] weights = node.floats("weights");
        if (weights != null) {
            List<Attribute> list = new ArrayList<>();
            for (float w : weights) {
                list.add(new FloatAttr(w, ScalarType.F32));
            }
            attrs.put("weights", new ArrayAttr(list));
        }
        return List.of(ctx.builder().create(TfIdfVectorizerOp.NAME, List.of(node.input(0)), attrs));
    }

    private static long[] required(OnnxNode node, String name) {
        long[] v = node.ints(name);
        if (v == null) {
            throw node.error("requires attribute '" + name + "'");
        }
        return v;
    }
}
