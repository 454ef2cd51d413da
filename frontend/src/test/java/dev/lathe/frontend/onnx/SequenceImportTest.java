package dev.lathe.frontend.onnx;

import static dev.lathe.frontend.onnx.OnnxModels.f32;
import static dev.lathe.frontend.onnx.OnnxModels.floats;
import static dev.lathe.frontend.onnx.OnnxModels.model;
import static dev.lathe.frontend.onnx.OnnxModels.node;
import static dev.lathe.frontend.onnx.OnnxModels.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.frontend.onnx.proto.GraphProto;
import dev.lathe.frontend.onnx.proto.OptionalProto;
import dev.lathe.frontend.onnx.proto.SequenceProto;
import dev.lathe.frontend.onnx.proto.TensorProto.DataType;
import dev.lathe.frontend.onnx.proto.TypeProto;
import dev.lathe.frontend.onnx.proto.ValueInfoProto;
import dev.lathe.ir.Module;
import dev.lathe.ir.attr.DenseElementsAttr;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.TensorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sequence-typed graph inputs, the sequence converters, and SequenceProto / OptionalProto test data. */
class SequenceImportTest {

    private static final TensorType F32_2 = TensorType.of(ScalarType.F32, 2);

    private static ValueInfoProto sequenceOf(String name, ValueInfoProto element) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setSequenceType(TypeProto.Sequence.newBuilder().setElemType(element.getType()))).build();
    }

    @Test
    void sequenceInputsImportAsSequenceTypesAndRun() {
        GraphProto g = GraphProto.newBuilder().addInput(sequenceOf("s", f32("e", 2)))
                .addNode(node("SequenceLength", List.of("s"), List.of("n")))
                .addOutput(scalar("n", DataType.INT64)).build();
        Module m = OnnxModels.importModel(model(13, g));
        Interpreter interp = new Interpreter(m);
        assertEquals(SequenceType.of(F32_2), interp.signature("main").inputs().get(0).type());
        RuntimeValue x = RuntimeValue.of(DenseElementsAttr.fromDoubles(F32_2, 1, 2));
        List<RuntimeValue> out = interp.runValues("main", List.of(RuntimeValue.sequence(List.of(x, x, x))));
        assertEquals(3, out.get(0).tensor("n").getLong(0));
    }

    @Test
    void readsSequenceAndOptionalProtosByTheDeclaredType(@TempDir Path dir) throws IOException {
        SequenceProto seq = SequenceProto.newBuilder().setName("s").setElemType(1)
                .addTensorValues(floats("a", new long[] {2}, 1, 2)).addTensorValues(floats("b", new long[] {2}, 3, 4))
                .build();
        Path seqFile = dir.resolve("seq.pb");
        Files.write(seqFile, seq.toByteArray());
        RuntimeValue read = ValueProtos.read(seqFile, SequenceType.of(F32_2));
        assertEquals(RuntimeValue.sequence(List.of(RuntimeValue.of(DenseElementsAttr.fromDoubles(F32_2, 1, 2)),
                RuntimeValue.of(DenseElementsAttr.fromDoubles(F32_2, 3, 4)))), read);

        Path empty = dir.resolve("opt.pb");
        Files.write(empty, OptionalProto.newBuilder().setName("o").build().toByteArray());
        assertEquals(RuntimeValue.OptionalValue.EMPTY, ValueProtos.read(empty, OptionalType.of(F32_2)));
        // a SequenceProto where an optional sequence is declared: the plain value, a present optional
        assertEquals(read, ValueProtos.read(seqFile, OptionalType.of(SequenceType.of(F32_2))));
    }
}
