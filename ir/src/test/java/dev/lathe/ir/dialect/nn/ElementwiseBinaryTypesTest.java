package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.Operation;
import dev.lathe.ir.type.ScalarType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ElementwiseBinaryTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"nn.add", "nn.sub", "nn.mul", "nn.div"})
    void wellTypedBroadcastVerifies(String name) {
        NnTestIR ir = new NnTestIR(tensor("tensor<?x3xf32>"), tensor("tensor<3xf32>"));
        Operation op = ir.op(name, Map.of(), ir.arg(0), ir.arg(1));
        assertEquals(tensor("tensor<?x3xf32>"), op.result().type());
        assertEquals(List.of(), ir.errors());
    }

    @Test
    void incompatibleShapesAreReportedWithBothTypes() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"), tensor("tensor<4xf32>"));
        ir.op("nn.add", tensor("tensor<2x3xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "'nn.add' op operands of shapes tensor<2x3xf32> and tensor<4xf32> do not broadcast",
                "nn.add_node");
    }

    @Test
    void differentElementTypesAreNamed() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"), tensor("tensor<2xi32>"));
        ir.op("nn.mul", tensor("tensor<2xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "'nn.mul' op expects operands of one element type, found f32 and i32");
    }

    @Test
    void booleansAreRejectedForArithmetic() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xi1>"), tensor("tensor<2xi1>"));
        ir.op("nn.add", tensor("tensor<2xi1>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "found i1 in tensor<2xi1>");
    }

    @Test
    void wrongResultTypeIsReportedAgainstTheInferredOne() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x1xf32>"), tensor("tensor<1x3xf32>"));
        ir.op("nn.sub", tensor("tensor<2x1xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "result #0 has type tensor<2x1xf32> but its operands and attributes give "
                + "tensor<2x3xf32>");
    }

    @Test
    void dynamicResultIsAcceptedWhereInferenceKnowsTheSize() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"), tensor("tensor<3xf32>"));
        ir.op("nn.add", tensor("tensor<?x3xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertEquals(List.of(), ir.errors());
    }

    @Test
    void scalarOperandsAreRejected() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"), ScalarType.F32);
        ir.op("nn.add", tensor("tensor<2xf32>"), Map.of(), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "operand #1 must be a tensor, found f32");
    }

    @Test
    void wrongOperandCountIsReportedByTheSchema() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2xf32>"));
        ir.op("nn.div", tensor("tensor<2xf32>"), Map.of(), ir.arg(0));
        assertOneError(ir.errors(), "expects 2 operands, found 1");
    }
}
