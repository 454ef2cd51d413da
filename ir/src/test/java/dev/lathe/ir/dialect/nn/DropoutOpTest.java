package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.doubles;
import static dev.lathe.ir.dialect.nn.NnTestIR.longs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.attr.DenseElementsAttr;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropoutOpTest {

    static List<DenseElementsAttr> run(double ratio, boolean training) {
        DenseElementsAttr x = doubles("tensor<3xf32>", 1, -2, 3);
        return new DropoutOp().evaluate(null, List.of(x, doubles("tensor<f32>", ratio),
                longs("tensor<i1>", training ? 1 : 0)));
    }

    @Test
    void zeroRatioOrInferenceIsTheIdentityWithAFullMask() {
        for (List<DenseElementsAttr> r : List.of(run(0, true), run(0.5, false))) {
            assertEquals(doubles("tensor<3xf32>", 1, -2, 3), r.get(0));
            assertEquals(longs("tensor<3xi1>", 1, 1, 1), r.get(1));
        }
    }

    @Test
    void randomTrainingDropoutIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(0.5, true));
        assertTrue(e.getMessage().contains("is random"), e.getMessage());
    }

    @Test
    void typesAreCheckedAndMaskIsBool() {
        List<dev.lathe.ir.type.Type> types = new DropoutOp().inferResultTypes(List.of(NnTestIR.tensor("tensor<2x?xf32>"),
                NnTestIR.tensor("tensor<f32>"), NnTestIR.tensor("tensor<i1>")), java.util.Map.of());
        assertEquals(List.of(NnTestIR.tensor("tensor<2x?xf32>"), NnTestIR.tensor("tensor<2x?xi1>")), types);
        assertThrows(dev.lathe.ir.dialect.InvalidOpException.class,
                () -> NnTestIR.infer("nn.dropout", "tensor<2xf32>", "tensor<2xf32>", "tensor<i1>"));
    }
}
