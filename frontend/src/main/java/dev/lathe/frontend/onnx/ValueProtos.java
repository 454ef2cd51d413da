package dev.lathe.frontend.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lathe.frontend.onnx.proto.OptionalProto;
import dev.lathe.frontend.onnx.proto.SequenceProto;
import dev.lathe.frontend.onnx.proto.TensorProto;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code .pb} files of ONNX's test data as runtime values: a {@code TensorProto}
 * ({@link TensorProtos}), a {@code SequenceProto} or an {@code OptionalProto} (messages of ONNX's
 * onnx-data.proto). The three share no marker, so the declared type of the input or output says
 * which message a file holds; where an optional is declared, a file whose {@code elem_type} does
 * not fit it is read as the plain value (which stands for a present optional). Sequences and
 * optionals of maps or sparse tensors are not read.
 */
public final class ValueProtos {

    private ValueProtos() {}

    /**
     * Reads {@code file} as a value of {@code declared} ({@code !nn.sequence<...>},
     * {@code !nn.optional<...>}, or anything else for a tensor; null reads a tensor).
     */
    public static RuntimeValue read(Path file, Type declared) throws IOException {
        if (!(declared instanceof SequenceType) && !(declared instanceof OptionalType)) {
            return RuntimeValue.of(TensorProtos.read(file).value());
        }
        byte[] bytes = Files.readAllBytes(file);
        String source = file.toString();
        Path baseDir = file.toAbsolutePath().getParent();
        try {
            if (declared instanceof OptionalType o) {
                OptionalProto proto = OptionalProto.parseFrom(bytes);
                if (!fitsKind(proto.getElemType(), o.element())) {
                    // not an OptionalProto of this type: the plain value, standing for a present optional
                    return read(file, o.element());
                }
                return optional(proto, source, baseDir);
            }
            return sequence(SequenceProto.parseFrom(bytes), source, baseDir);
        } catch (InvalidProtocolBufferException e) {
            throw OnnxDiagnostics.error(source, "not a valid ONNX " + (declared instanceof SequenceType
                    ? "SequenceProto" : "OptionalProto") + " (truncated or corrupt protobuf)");
        }
    }

    /** Whether an {@code OptionalProto.elem_type} fits the declared element (0 is an empty optional). */
    private static boolean fitsKind(int elemType, Type element) {
        return switch (elemType) {
            case 0 -> true;
            case 1 -> !(element instanceof SequenceType) && !(element instanceof OptionalType);
            case 3 -> element instanceof SequenceType;
            case 5 -> element instanceof OptionalType;
            default -> false;
        };
    }

    /** The value of a {@code SequenceProto}. */
    public static RuntimeValue.SequenceValue sequence(SequenceProto proto, String source, Path baseDir) {
        List<RuntimeValue> elements = new ArrayList<>();
        switch (proto.getElemType()) {
            case 0, 1 -> { // UNDEFINED (an empty sequence) or TENSOR
                for (TensorProto t : proto.getTensorValuesList()) {
                    elements.add(tensor(t, source, baseDir));
                }
            }
            case 3 -> {
                for (SequenceProto s : proto.getSequenceValuesList()) {
                    elements.add(sequence(s, source, baseDir));
                }
            }
            case 5 -> {
                for (OptionalProto o : proto.getOptionalValuesList()) {
                    elements.add(optional(o, source, baseDir));
                }
            }
            default -> throw unsupported(source, "a sequence", proto.getElemType());
        }
        return RuntimeValue.sequence(elements);
    }

    /** The value of an {@code OptionalProto}: empty when it holds no value. */
    public static RuntimeValue.OptionalValue optional(OptionalProto proto, String source, Path baseDir) {
        return switch (proto.getElemType()) {
            case 0 -> RuntimeValue.OptionalValue.EMPTY;
            case 1 -> RuntimeValue.optional(proto.hasTensorValue() ? tensor(proto.getTensorValue(), source, baseDir) : null);
            case 3 -> RuntimeValue.optional(proto.hasSequenceValue()
                    ? sequence(proto.getSequenceValue(), source, baseDir) : null);
            case 5 -> RuntimeValue.optional(proto.hasOptionalValue()
                    ? optional(proto.getOptionalValue(), source, baseDir) : null);
            default -> throw unsupported(source, "an optional", proto.getElemType());
        };
    }

    private static RuntimeValue tensor(TensorProto t, String source, Path baseDir) {
        return RuntimeValue.of(TensorProtos.fromProto(t, source, baseDir).value());
    }

    private static RuntimeException unsupported(String source, String what, int elemType) {
        String kind = switch (elemType) {
            case 2 -> "sparse tensors";
            case 4 -> "maps";
            default -> "elements of kind " + elemType;
        };
        return OnnxDiagnostics.error(source, "holds " + what + " of " + kind + ", which Lathe does not read");
    }
}
