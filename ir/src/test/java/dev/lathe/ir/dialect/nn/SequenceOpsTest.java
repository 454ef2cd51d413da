package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Block;
import dev.lathe.ir.Diagnostic;
import dev.lathe.ir.Location;
import dev.lathe.ir.Module;
import dev.lathe.ir.Operation;
import dev.lathe.ir.Value;
import dev.lathe.ir.Verifier;
import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.TypeAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.dialect.func.FuncOps;
import dev.lathe.ir.interp.Interpreter;
import dev.lathe.ir.interp.InterpreterException;
import dev.lathe.ir.interp.RuntimeValue;
import dev.lathe.ir.type.FunctionType;
import dev.lathe.ir.type.OptionalType;
import dev.lathe.ir.type.ScalarType;
import dev.lathe.ir.type.SequenceType;
import dev.lathe.ir.type.Type;
import dev.lathe.ir.type.ValueTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sequence and optional ops: their types, verifier errors, and runs through the interpreter. */
class SequenceOpsTest {

    private static final Type F32_SEQ = SequenceType.of(ScalarType.F32);

    /** {@code @f(args) -> results} under construction. */
    private static final class Fn {
        final Module module = Module.create();
        final Operation fn;
        Block block;

        Fn(List<Type> args, List<Type> results) {
            fn = FuncOps.createFunc("f", FunctionType.of(args, results), Location.name("f"));
            module.body().append(fn);
            block = FuncOps.body(fn);
        }

        Value arg(int i) {
            return FuncOps.body(fn).argument(i);
        }

        Operation op(String name, List<Type> results, Map<String, Attribute> attrs, int regions, Value... operands) {
            Operation op = Operation.create(name, List.of(operands), results, attrs, regions, Location.name(name));
            block.append(op);
            return op;
        }

        /** An op with the result types its definition infers. */
        Value infer(String name, Map<String, Attribute> attrs, Value... operands) {
            List<Type> types = NnTestIR.definition(name).inferResultTypes(
                    List.of(operands).stream().map(Value::type).toList(), attrs);
            return op(name, types, attrs, 0, operands).result();
        }

        Value constant(long... values) {
            String type = values.length == 1 ? "tensor<i64>" : "tensor<" + values.length + "xi64>";
            return op(ConstantOp.NAME, List.of(tensor(type)), Map.of("value", longs(type, values)), 0).result();
        }

        List<String> errors(Value... results) {
            FuncOps.body(fn).append(FuncOps.createReturn(List.of(results), Location.UNKNOWN));
            return Verifier.verify(module, false).stream().map(Diagnostic::toString).toList();
        }

        List<RuntimeValue> run(RuntimeValue... inputs) {
            return new Interpreter(module).runValues("f", List.of(inputs));
        }
    }

    private static List<Type> infer(String op, Map<String, Attribute> attrs, Type... operands) {
        return NnTestIR.definition(op).inferResultTypes(List.of(operands), attrs);
    }

    @Test
    void typesPrintNestAndIntern() {
        Type t = OptionalType.of(SequenceType.of(tensor("tensor<?x3xf32>")));
        assertEquals("!nn.optional<!nn.sequence<tensor<?x3xf32>>>", t.text());
        assertSame(t, OptionalType.of(SequenceType.of(tensor("tensor<?x3xf32>"))));
        assertThrows(IllegalArgumentException.class, () -> SequenceType.of(ScalarType.INDEX));
    }

    @Test
    void elementTypesJoinDimByDimAndLoseTheRankWhenRanksDiffer() {
        assertEquals(List.of(SequenceType.of(tensor("tensor<?xf32>"))),
                infer(SequenceConstructOp.NAME, Map.of(), tensor("tensor<2xf32>"), tensor("tensor<3xf32>")));
        assertEquals(List.of(F32_SEQ),
                infer(SequenceConstructOp.NAME, Map.of(), tensor("tensor<2xf32>"), tensor("tensor<f32>")));
        assertEquals(List.of(F32_SEQ), infer(SequenceInsertOp.NAME, Map.of(), F32_SEQ, tensor("tensor<3xf32>")));
        assertEquals(List.of(F32_SEQ), infer(SequenceEmptyOp.NAME, Map.of("dtype", new TypeAttr(ScalarType.F32))));
        assertTrue(ValueTypes.isCompatible(SequenceType.of(tensor("tensor<3xf32>")), F32_SEQ));
        assertTrue(ValueTypes.isCompatible(F32_SEQ, OptionalType.of(F32_SEQ)));
        assertNull(ValueTypes.join(F32_SEQ, SequenceType.of(tensor("tensor<3xi64>"))));
    }

    @Test
    void shapeOpsInferDynamicDims() {
        Type seq = SequenceType.of(tensor("tensor<2x?xf32>"));
        assertEquals(List.of(tensor("tensor<2x?x?xf32>")), infer(ConcatFromSequenceOp.NAME,
                Map.of("axis", IntegerAttr.of(-1), "new_axis", BoolAttr.TRUE), seq));
        assertEquals(List.of(SequenceType.of(tensor("tensor<4xi32>"))), infer(SplitToSequenceOp.NAME,
                Map.of("axis", IntegerAttr.of(1), "keepdims", BoolAttr.FALSE), tensor("tensor<4x3xi32>")));
        assertEquals(List.of(SequenceType.of(tensor("tensor<?x3xi32>"))), infer(SplitToSequenceOp.NAME,
                Map.of(), tensor("tensor<4x3xi32>"), tensor("tensor<i64>")));
        assertEquals(List.of(tensor("tensor<i64>")), infer(SequenceLengthOp.NAME, Map.of(), seq));
    }

    @Test
    void verifierRejectsATensorWhereASequenceIsExpected() {
        InvalidOpException e = assertThrows(InvalidOpException.class,
                () -> infer(SequenceLengthOp.NAME, Map.of(), tensor("tensor<2xf32>")));
        assertEquals("expects operand #0 to be a sequence, found tensor<2xf32>", e.getMessage());
        Fn f = new Fn(List.of(F32_SEQ, tensor("tensor<i64>")), List.of(tensor("tensor<3xf32>")));
        Value at = f.op(SequenceAtOp.NAME, List.of(tensor("tensor<3xf32>")), Map.of(), 0, f.arg(0), f.arg(1)).result();
        NnTestIR.assertOneError(f.errors(at), "expects operand #0 to hold tensors of known rank, found"
                + " !nn.sequence<f32>");
    }

    /** split [[1,2,3],[4,5,6]] along axis 1 into columns, drop column 0, concatenate: [[2,3],[5,6]]. */
    @Test
    void splitEraseConcatOnFloats() {
        Fn f = new Fn(List.of(tensor("tensor<2x3xf32>")), List.of(tensor("tensor<2x?xf32>"), tensor("tensor<i64>")));
        Value seq = f.infer(SplitToSequenceOp.NAME, Map.of("axis", IntegerAttr.of(1)), f.arg(0));
        Value erased = f.infer(SequenceEraseOp.NAME, Map.of(), seq, f.constant(-3));
        Value cat = f.infer(ConcatFromSequenceOp.NAME, Map.of("axis", IntegerAttr.of(1)), erased);
        Value len = f.infer(SequenceLengthOp.NAME, Map.of(), erased);
        assertEquals(List.of(), f.errors(cat, len));
        List<RuntimeValue> out = f.run(RuntimeValue.of(doubles("tensor<2x3xf32>", 1, 2, 3, 4, 5, 6)));
        assertEquals(doubles("tensor<2x2xf32>", 2, 3, 5, 6), out.get(0).tensor("out"));
        assertEquals(2, out.get(1).tensor("len").getLong(0));
    }

    /** insert 7 at the front of [[1, 2]] (i32), read element -1 back, wrap in an optional and unwrap. */
    @Test
    void insertAtAndOptionalsOnIntegers() {
        Type seqType = SequenceType.of(tensor("tensor<2xi32>"));
        Fn f = new Fn(List.of(seqType, tensor("tensor<2xi32>")),
                List.of(seqType, tensor("tensor<2xi32>"), tensor("tensor<i1>"), tensor("tensor<2xi32>")));
        Value inserted = f.infer(SequenceInsertOp.NAME, Map.of(), f.arg(0), f.arg(1), f.constant(0));
        Value last = f.infer(SequenceAtOp.NAME, Map.of(), inserted, f.constant(-1));
        Value opt = f.infer(OptionalOp.NAME, Map.of(), f.arg(1));
        Value has = f.infer(OptionalHasElementOp.NAME, Map.of(), opt);
        Value got = f.infer(OptionalGetElementOp.NAME, Map.of(), opt);
        assertEquals(List.of(), f.errors(inserted, last, has, got));
        RuntimeValue one = RuntimeValue.of(longs("tensor<2xi32>", 1, 2));
        RuntimeValue seven = RuntimeValue.of(longs("tensor<2xi32>", 7, -7));
        List<RuntimeValue> out = f.run(RuntimeValue.sequence(List.of(one)), seven);
        assertEquals(RuntimeValue.sequence(List.of(seven, one)), out.get(0));
        assertEquals(one, out.get(1));
        assertEquals(1, out.get(2).tensor("has").getLong(0));
        assertEquals(seven, out.get(3));
    }

    @Test
    void emptyOptionalHasNoElementAndGettingItFails() {
        Type opt = OptionalType.of(tensor("tensor<2xf32>"));
        Fn f = new Fn(List.of(opt), List.of(tensor("tensor<i1>"), tensor("tensor<2xf32>")));
        Value has = f.infer(OptionalHasElementOp.NAME, Map.of(), f.arg(0));
        Value got = f.infer(OptionalGetElementOp.NAME, Map.of(), f.arg(0));
        f.errors(has, got);
        InterpreterException e = assertThrows(InterpreterException.class,
                () -> f.run(RuntimeValue.OptionalValue.EMPTY));
        assertTrue(e.getMessage().contains("the optional is empty"), e.getMessage());
    }

    /** sequence_map adds a tensor to each element: [[1], [2, 3]] + 10 = [[11], [12, 13]] (i64). */
    @Test
    void sequenceMapRunsItsRegionPerElement() {
        Type seqType = SequenceType.of(tensor("tensor<?xi64>"));
        Fn f = new Fn(List.of(seqType, tensor("tensor<i64>")), List.of(seqType));
        Operation map = f.op(SequenceMapOp.NAME, List.of(seqType), Map.of(), 1, f.arg(0), f.arg(1));
        Block body = map.region(0).addBlock(new Block(List.of(tensor("tensor<?xi64>"), tensor("tensor<i64>"))));
        Operation add = Operation.create(AddOp.NAME, List.of(body.argument(0), body.argument(1)),
                List.of(tensor("tensor<?xi64>")), Map.of(), Location.UNKNOWN);
        body.append(add);
        body.append(Operation.create(YieldOp.NAME, List.of(add.result()), List.of(), Map.of(), Location.UNKNOWN));
        assertEquals(List.of(), f.errors(map.result()));
        List<RuntimeValue> out = f.run(RuntimeValue.sequence(List.of(RuntimeValue.of(longs("tensor<1xi64>", 1)),
                RuntimeValue.of(longs("tensor<2xi64>", 2, 3)))), RuntimeValue.of(longs("tensor<i64>", 10)));
        List<RuntimeValue> elements = out.get(0).elements("out");
        assertArrayEquals(new long[] {11}, elements.get(0).tensor("e0").toLongs());
        assertArrayEquals(new long[] {12, 13}, elements.get(1).tensor("e1").toLongs());
    }

    /** chunk 2 of [0..4] gives [0,1] [2,3] [4]; sizes [1, 4] give [0] [1..4]; the tensor-only run() refuses a sequence. */
    @Test
    void splitByChunkOrSizesOnIntegers() {
        Type seqType = SequenceType.of(tensor("tensor<?xi32>"));
        Fn f = new Fn(List.of(tensor("tensor<5xi32>")), List.of(seqType, seqType));
        Value chunks = f.infer(SplitToSequenceOp.NAME, Map.of("chunk", IntegerAttr.of(2)), f.arg(0));
        Value sized = f.infer(SplitToSequenceOp.NAME, Map.of("split", NnTestIR.array(1, 4)), f.arg(0));
        assertEquals(List.of(), f.errors(chunks, sized));
        List<RuntimeValue> out = f.run(RuntimeValue.of(longs("tensor<5xi32>", 0, 1, 2, 3, 4)));
        List<long[]> got = out.get(0).elements("chunks").stream().map(e -> e.tensor("e").toLongs()).toList();
        assertEquals(3, got.size());
        assertArrayEquals(new long[] {4}, got.get(2));
        assertArrayEquals(new long[] {1, 2, 3, 4}, out.get(1).elements("sized").get(1).tensor("e").toLongs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Interpreter(f.module).run("f", List.of(longs("tensor<5xi32>", 0, 1, 2, 3, 4))));
        assertTrue(e.getMessage().contains("must be a tensor, found sequence"), e.getMessage());
    }

    @Test
    void inputValidationChecksSequenceElements() {
        Fn f = new Fn(List.of(SequenceType.of(tensor("tensor<2xf32>"))), List.of(tensor("tensor<i64>")));
        Value len = f.infer(SequenceLengthOp.NAME, Map.of(), f.arg(0));
        f.errors(len);
        Exception e = assertThrows(RuntimeException.class, () -> f.run(RuntimeValue.sequence(
                List.of(RuntimeValue.of(doubles("tensor<3xf32>", 1, 2, 3))))));
        assertTrue(e.getMessage().contains("element #0: dim 0 is 3, expected 2"), e.getMessage());
    }
}
