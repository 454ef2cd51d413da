package dev.lathe.frontend.onnx;

import com.google.protobuf.CodedInputStream;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.ModelProto;
import dev.lathe.frontend.onnx.proto.NodeProto;
import dev.lathe.frontend.onnx.proto.OperatorSetIdProto;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Verifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports an ONNX model into a {@link Module} of the {@code nn} dialect with one function,
 * {@code func.func @main}: the graph inputs that have no initializer are its arguments, in
 * order, and the graph outputs its results. See docs/onnx.md for the policies (constants and
 * resources, opsets, element types) and the converter API.
 *
 * <p>Every problem with the model is a {@link DiagnosticException} located at {@code MODEL} or
 * {@code MODEL:NODE} that says what is wrong or unsupported; a truncated or corrupt file says
 * so, with the byte offset, never with a protobuf stack trace.
 */
public final class OnnxImporter {

    /** The default operator domain, also spelled {@code ""} in models. */
    public static final String DEFAULT_DOMAIN = "ai.onnx";

    public static final int MIN_IR_VERSION = 3;
    public static final int MAX_IR_VERSION = 10;

    /** The default-domain opsets Lathe supports and tests. */
    public static final int MIN_SUPPORTED_OPSET = 7;
    public static final int MAX_OPSET = 21;

    /** Older opsets are accepted too; converters handle the old forms they know and reject the rest. */
    public static final int MIN_ACCEPTED_OPSET = 1;

    /** The name of the imported function. */
    public static final String FUNCTION_NAME = "main";

    /** The attribute of {@code @main} holding the ONNX graph's name, when it has one. */
    public static final String GRAPH_NAME_ATTR = "onnx.graph_name";

    /**
     * The attribute of {@code @main} listing, as an array of strings, the graph inputs that were
     * frozen to the values given in {@link ImportOptions#inputValues}; they are no arguments.
     */
    public static final String FROZEN_INPUTS_ATTR = "onnx.frozen_inputs";

    /** The nesting depth protobuf accepts (subgraphs inside subgraphs); protobuf's default is 100. */
    private static final int RECURSION_LIMIT = 200;

    private OnnxImporter() {}

    /** Imports a model file; external data is found relative to its directory. */
    public static Module importModel(Path file) throws IOException {
        return importModel(file, ImportOptions.defaults());
    }

    public static Module importModel(Path file, ImportOptions options) throws IOException {
        long size = Files.size(file);
        if (size > TensorDecoder.MAX_BYTES) {
            throw OnnxDiagnostics.error(file.toString(), "the file is " + size + " bytes; an ONNX protobuf cannot"
                    + " exceed 2 GiB, so larger models keep their weights in external data files");
        }
        return importModel(Files.readAllBytes(file), file.toString(), file.toAbsolutePath().getParent(), options);
    }

    /**
     * Imports a serialized model; {@code modelName} names it in diagnostics and {@code baseDir}
     * (nullable) is where external data files are looked for.
     */
    public static Module importModel(byte[] bytes, String modelName, Path baseDir) {
        return importModel(bytes, modelName, baseDir, ImportOptions.defaults());
    }

    public static Module importModel(byte[] bytes, String modelName, Path baseDir, ImportOptions options) {
        return importModel(parse(bytes, modelName), modelName, baseDir, options);
    }

    /** Reads the whole stream, then imports it as {@link #importModel(byte[], String, Path)}. */
    public static Module importModel(InputStream in, String modelName, Path baseDir) throws IOException {
        return importModel(in.readAllBytes(), modelName, baseDir);
    }

    /** Imports a parsed model. */
    public static Module importModel(ModelProto model, String modelName, Path baseDir, ImportOptions options) {
        Map<String, Integer> opsets = checkHeader(model, modelName);
        Module module = Module.create(Location.name(modelName));
        GraphImporter graph = new GraphImporter(modelName, opsets, options, new TensorDecoder(baseDir), module);
        module.body().append(graph.importMain(model.getGraph()));
        List<Diagnostic> problems = Verifier.verify(module, false);
        if (!problems.isEmpty()) {
            throw new DiagnosticException(problems.stream().map(d -> Diagnostic.error(
                    Location.name(OnnxDiagnostics.at(modelName, d.location().toString())),
                    "internal error: the imported IR does not verify (a bug in Lathe's ONNX converters): "
                            + d.message())).toList());
        }
        return module;
    }

    /** Parses the protobuf of a model, or says where it is truncated or corrupt. */
    public static ModelProto parse(byte[] bytes, String modelName) {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.setRecursionLimit(RECURSION_LIMIT);
        // bytes fields (raw_data: the weights) are views of the array, not copies of it; the
        // importer copies each weight out once. The caller must not change bytes meanwhile.
        in.enableAliasing(true);
        ModelProto model;
        try {
            model = ModelProto.parseFrom(in);
        } catch (IOException e) { // from a byte array, always an InvalidProtocolBufferException
            throw OnnxDiagnostics.error(modelName, "not a valid ONNX model (truncated or corrupt protobuf at byte "
                    + in.getTotalBytesRead() + " of " + bytes.length + ": " + firstSentence(e.getMessage()) + ")");
        }
        if (!model.hasGraph()) {
            throw OnnxDiagnostics.error(modelName, "not a valid ONNX model (" + bytes.length
                    + " bytes that parse as protobuf but hold no graph; truncated, or not an ONNX file?)");
        }
        return model;
    }

    /** Protobuf's explanation up to its first full stop (the rest speculates about causes). */
    private static String firstSentence(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf(". ");
        return end < 0 ? message.strip() : message.substring(0, end + 1);
    }

    /** {@code ""} and {@code ai.onnx} are the same domain; Lathe spells it {@code ai.onnx}. */
    public static String normalizeDomain(String domain) {
        return domain == null || domain.isEmpty() ? DEFAULT_DOMAIN : domain;
    }

    /** Checks the IR version and opsets; returns the opset version of each imported domain. */
    private static Map<String, Integer> checkHeader(ModelProto model, String modelName) {
        if (!model.hasIrVersion()) {
            throw OnnxDiagnostics.error(modelName, "not a valid ONNX model (it has no ir_version)");
        }
        long ir = model.getIrVersion();
        if (ir < MIN_IR_VERSION || ir > MAX_IR_VERSION) {
            throw OnnxDiagnostics.error(modelName, "ONNX IR version " + ir + " is not supported; Lathe reads IR versions "
                    + MIN_IR_VERSION + " to " + MAX_IR_VERSION
                    + (ir < MIN_IR_VERSION ? " (convert the model with a newer ONNX release)" : ""));
        }
        Map<String, Integer> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            String domain = normalizeDomain(o.getDomain());
            if (opsets.containsKey(domain)) {
                throw OnnxDiagnostics.error(modelName, "opset_import lists domain '" + domain + "' twice");
            }
            opsets.put(domain, (int) Math.max(0, Math.min(Integer.MAX_VALUE, o.getVersion())));
        }
        Integer opset = opsets.get(DEFAULT_DOMAIN);
        if (opset == null) {
            if (usesDefaultDomain(model.getGraph())) {
                throw OnnxDiagnostics.error(modelName, "the model imports no version of the default operator set ("
                        + DEFAULT_DOMAIN + "), so its ops have no defined meaning");
            }
        } else if (opset < MIN_ACCEPTED_OPSET || opset > MAX_OPSET) {
            throw OnnxDiagnostics.error(modelName, "default-domain opset " + opset + " is not supported; Lathe supports"
                    + " opsets " + MIN_SUPPORTED_OPSET + " to " + MAX_OPSET
                    + " (and converts older ones where it knows the op's old form)");
        }
        return opsets;
    }

    private static boolean usesDefaultDomain(GraphProto graph) {
        for (NodeProto n : graph.getNodeList()) {
            if (normalizeDomain(n.getDomain()).equals(DEFAULT_DOMAIN)) {
                return true;
            }
        }
        return false;
    }
}
