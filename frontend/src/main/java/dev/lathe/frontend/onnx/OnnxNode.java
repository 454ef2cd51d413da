package dev.lathe.frontend.onnx;

import dev.lathe.frontend.onnx.proto.AttributeProto;
import dev.lathe.frontend.onnx.proto.AttributeProto.AttributeType;
import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.NodeProto;
import dev.lathe.ir.DiagnosticException;
import dev.lathe.ir.Location;
import dev.lathe.ir.Value;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.type.TensorType;
import dev.lathe.ir.type.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX node as a converter sees it: op type, domain, the opset version in effect, the SSA
 * values of its inputs ({@code null} where ONNX names an absent optional input with {@code ""}),
 * its output names, and typed access to its attributes. Getters of object-valued attributes
 * return {@code null} when the attribute is absent; the {@code ...Or} getters take a default.
 * An attribute of the wrong kind is an error naming the node.
 */
public final class OnnxNode {

    private final NodeProto proto;
    private final String model;
    private final String displayName;
    private final int opset;
    private final List<Value> inputs;
    private final Map<String, AttributeProto> attributes = new LinkedHashMap<>();
    private final TensorDecoder decoder;

    OnnxNode(NodeProto proto, int index, String model, int opset, List<Value> inputs, TensorDecoder decoder) {
        this.proto = proto;
        this.model = model;
        this.displayName = proto.getName().isEmpty() ? proto.getOpType() + "#" + index : proto.getName();
        this.opset = opset;
        this.inputs = Collections.unmodifiableList(new ArrayList<>(inputs));
        this.decoder = decoder;
        for (AttributeProto a : proto.getAttributeList()) {
            if (attributes.putIfAbsent(a.getName(), a) != null) {
                throw OnnxDiagnostics.error(where(), proto.getOpType() + " has attribute '" + a.getName() + "' twice");
            }
        }
    }

    // ---- identity

    public String opType() {
        return proto.getOpType();
    }

    /** The operator domain, with the default domain spelled {@code ai.onnx}. */
    public String domain() {
        return OnnxImporter.normalizeDomain(proto.getDomain());
    }

    /** The node's name, or {@code OpType#index} (its position in the graph) when it has none. */
    public String name() {
        return displayName;
    }

    /** The version of the node's domain that the model imports. */
    public int opset() {
        return opset;
    }

    /** {@code Location.name(name())}: the location of every op made for this node. */
    public Location location() {
        return Location.name(displayName);
    }

    /** The name of the model file, as used in messages. */
    public String model() {
        return model;
    }

    /** The node as parsed from the file. */
    public NodeProto proto() {
        return proto;
    }

    // ---- inputs and outputs

    /** How many inputs the node lists, absent optional ones included. */
    public int numInputs() {
        return inputs.size();
    }

    /** Whether input {@code i} is listed and not {@code ""}. */
    public boolean hasInput(int i) {
        return i < inputs.size() && inputs.get(i) != null;
    }

    /** Input {@code i}, or an error naming the node when it is absent. */
    public Value input(int i) {
        if (!hasInput(i)) {
            throw error("input #" + i + " is required but " + (i < inputs.size() ? "is empty" : "the node has "
                    + inputs.size() + " inputs"));
        }
        return inputs.get(i);
    }

    /** Input {@code i}, or null when absent. */
    public Value inputOrNull(int i) {
        return hasInput(i) ? inputs.get(i) : null;
    }

    /** The type of input {@code i} (required), as a tensor type. */
    public TensorType inputType(int i) {
        Type t = input(i).type();
        if (!(t instanceof TensorType tensor)) {
            throw error("input #" + i + " must be a tensor, found " + t.text());
        }
        return tensor;
    }

    /** Every listed input, null where absent. */
    public List<Value> inputs() {
        return inputs;
    }

    public int numOutputs() {
        return proto.getOutputCount();
    }

    /** Output names, {@code ""} where an optional output is not wanted. */
    public List<String> outputNames() {
        return proto.getOutputList();
    }

    // ---- attributes

    public boolean has(String name) {
        return attributes.containsKey(name);
    }

    /** The attribute as parsed, or null. */
    public AttributeProto attribute(String name) {
        return attributes.get(name);
    }

    public List<String> attributeNames() {
        return List.copyOf(attributes.keySet());
    }

    public long intOr(String name, long defaultValue) {
        AttributeProto a = get(name, AttributeType.INT);
        return a == null ? defaultValue : a.getI();
    }

    public float floatOr(String name, float defaultValue) {
        AttributeProto a = get(name, AttributeType.FLOAT);
        return a == null ? defaultValue : a.getF();
    }

    /** A string attribute (UTF-8), or null. */
    public String string(String name) {
        AttributeProto a = get(name, AttributeType.STRING);
        return a == null ? null : a.getS().toString(StandardCharsets.UTF_8);
    }

    public String stringOr(String name, String defaultValue) {
        String s = string(name);
        return s == null ? defaultValue : s;
    }

    /** An integer-list attribute, or null. */
    public long[] ints(String name) {
        AttributeProto a = get(name, AttributeType.INTS);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    public long[] intsOr(String name, long[] defaultValue) {
        long[] v = ints(name);
        return v == null ? defaultValue : v;
    }

    /** A float-list attribute, or null. */
    public float[] floats(String name) {
        AttributeProto a = get(name, AttributeType.FLOATS);
        if (a == null) {
            return null;
        }
        float[] out = new float[a.getFloatsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.getFloats(i);
        }
        return out;
    }

    /** A string-list attribute (UTF-8), or null. */
    public List<String> strings(String name) {
        AttributeProto a = get(name, AttributeType.STRINGS);
        return a == null ? null : a.getStringsList().stream().map(b -> b.toString(StandardCharsets.UTF_8)).toList();
    }

    /** A tensor attribute, decoded (external data included), or null. */
    public DenseElementsAttr tensor(String name) {
        AttributeProto a = get(name, AttributeType.TENSOR);
        return a == null ? null : decoder.decode(a.getT(), where(), "attribute '" + name + "' of " + opType()).toAttr();
    }

    /** A sparse-tensor attribute, densified, or null. */
    public DenseElementsAttr sparseTensor(String name) {
        AttributeProto a = get(name, AttributeType.SPARSE_TENSOR);
        return a == null ? null
                : decoder.densify(a.getSparseTensor(), where(), "attribute '" + name + "' of " + opType()).toAttr();
    }

    /** A graph attribute (the body of If, Loop, Scan), or null. */
    public GraphProto graph(String name) {
        AttributeProto a = get(name, AttributeType.GRAPH);
        return a == null ? null : a.getG();
    }

    /** A graph-list attribute, or null. */
    public List<GraphProto> graphs(String name) {
        AttributeProto a = get(name, AttributeType.GRAPHS);
        return a == null ? null : a.getGraphsList();
    }

    /** The kind of an attribute; models older than IR version 3 may leave {@code type} unset. */
    public static AttributeType kindOf(AttributeProto a) {
        if (a.hasType() && a.getType() != AttributeType.UNDEFINED) {
            return a.getType();
        }
        if (a.hasF()) {
            return AttributeType.FLOAT;
        } else if (a.hasI()) {
            return AttributeType.INT;
        } else if (a.hasS()) {
            return AttributeType.STRING;
        } else if (a.hasT()) {
            return AttributeType.TENSOR;
        } else if (a.hasG()) {
            return AttributeType.GRAPH;
        } else if (a.hasSparseTensor()) {
            return AttributeType.SPARSE_TENSOR;
        } else if (a.hasTp()) {
            return AttributeType.TYPE_PROTO;
        } else if (a.getFloatsCount() > 0) {
            return AttributeType.FLOATS;
        } else if (a.getIntsCount() > 0) {
            return AttributeType.INTS;
        } else if (a.getStringsCount() > 0) {
            return AttributeType.STRINGS;
        } else if (a.getTensorsCount() > 0) {
            return AttributeType.TENSORS;
        } else if (a.getGraphsCount() > 0) {
            return AttributeType.GRAPHS;
        } else if (a.getSparseTensorsCount() > 0) {
            return AttributeType.SPARSE_TENSORS;
        } else if (a.getTypeProtosCount() > 0) {
            return AttributeType.TYPE_PROTOS;
        }
        return AttributeType.UNDEFINED;
    }

    private AttributeProto get(String name, AttributeType expected) {
        AttributeProto a = attributes.get(name);
        if (a == null) {
            return null;
        }
        if (a.hasRefAttrName()) {
            throw error("attribute '" + name + "' refers to a function attribute ('" + a.getRefAttrName()
                    + "'), which only a function body may do");
        }
        AttributeType kind = kindOf(a);
        // An empty list has no field set to tell its kind; read it as the list asked for.
        boolean emptyList = kind == AttributeType.UNDEFINED && expected.name().endsWith("S");
        if (kind != expected && !emptyList) {
            throw error("attribute '" + name + "' must be " + expected + ", found " + kind);
        }
        return a;
    }

    // ---- errors

    /** {@code MODEL:NODE}: where this node's diagnostics are located. */
    public String where() {
        return OnnxDiagnostics.at(model, displayName);
    }

    /** An error at this node: {@code MODEL:NODE: error: OpType: message}. Throw what it returns. */
    public DiagnosticException error(String message) {
        return OnnxDiagnostics.error(where(), opType() + ": " + message);
    }

    /**
     * The standard error for a form of this op that Lathe does not convert (yet), naming op type,
     * domain, opset and input types: {@code unsupported form of op 'Reshape' (domain 'ai.onnx',
     * opset 13) with inputs (tensor<2x3xf32>, tensor<2xi64>): REASON}.
     */
    public DiagnosticException unsupported(String reason) {
        return OnnxDiagnostics.error(where(), "unsupported form of " + describe() + ": " + reason);
    }

    /** {@code op 'Foo' (domain 'ai.onnx', opset 13) with inputs (tensor<2x3xf32>, none)}. */
    String describe() {
        List<String> types = new ArrayList<>();
        for (Value v : inputs) {
            types.add(v == null ? "none" : v.type().text());
        }
        return "op '" + opType() + "' (domain '" + domain() + "', opset " + (opset > 0 ? opset : "not imported")
                + ") with inputs (" + String.join(", ", types) + ")";
    }
}
