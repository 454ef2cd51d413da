package dev.lathe.ir.dialect.nn;

import static dev.lathe.ir.dialect.nn.NnTestIR.array;
import static dev.lathe.ir.dialect.nn.NnTestIR.assertOneError;
import static dev.lathe.ir.dialect.nn.NnTestIR.infer;
import static dev.lathe.ir.dialect.nn.NnTestIR.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.attr.Attribute;
import dev.lathe.ir.attr.BoolAttr;
import dev.lathe.ir.attr.IntegerAttr;
import dev.lathe.ir.attr.StringAttr;
import dev.lathe.ir.dialect.InvalidOpException;
import dev.lathe.ir.type.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Result type inference and verifier errors of the shape and data-movement ops. */
class ShapeOpsTypesTest {

    private static Map<String, Attribute> slice(long[] starts, long[] ends, long[] axes, long[] steps) {
        return Map.of("starts", array(starts), "ends", array(ends), "axes", array(axes), "steps", array(steps));
    }

    @Test
    void sliceClampsOutOfRangeBoundsAndCountsNegativeSteps() {
        assertEquals("tensor<20x9x5xf32>", infer("nn.slice", slice(new long[] {1}, new long[] {1000},
                new long[] {1}, new long[] {1}), "tensor<20x10x5xf32>"));
        assertEquals("tensor<19x3x5xf32>", infer("nn.slice", slice(new long[] {20, 10}, new long[] {0, 1},
                new long[] {0, -2}, new long[] {-1, -3}), "tensor<20x10x5xf32>"));
        assertEquals("tensor<?x0xf32>", infer("nn.slice", slice(new long[] {0, 5}, new long[] {3, 2},
                new long[] {0, 1}, new long[] {1, 1}), "tensor<?x10xf32>"), "unknown dims stay unknown");
    }

    @Test
    void dynamicFormsHaveUnknownDimsOfAKnownRank() {
        assertEquals("tensor<?x?x?xf32>", infer("nn.slice", "tensor<20x10x5xf32>", "tensor<2xi64>", "tensor<2xi64>",
                "tensor<2xi64>", "tensor<2xi64>"));
        assertEquals("tensor<?x?xf32>", infer("nn.squeeze", "tensor<1x3x1x5xf32>", "tensor<2xi64>"));
        assertEquals("tensor<?x?x?x?xf32>", infer("nn.unsqueeze", "tensor<3x4xf32>", "tensor<2xi64>"));
        assertEquals("tensor<?x?x?xf32>", infer("nn.expand", "tensor<3x1xf32>", "tensor<3xi64>"));
        assertEquals("tensor<?x?xi8>", infer("nn.tile", "tensor<2x2xi8>", "tensor<2xi64>"));
        assertEquals("tensor<?x?xf32>", infer("nn.pad", "tensor<2x2xf32>", "tensor<4xi64>"));
        assertEquals("tensor<?x?x?x?xf32>", infer("nn.reshape", Map.of("copy_zero_dims", BoolAttr.TRUE),
                "tensor<2x3x4xf32>", "tensor<4xi64>"));
        assertEquals("tensor<?x?xi32>", infer("nn.constant_of_shape",
                Map.of("value", NnTestIR.longs("tensor<1xi32>", 7)), "tensor<2xi64>"));
        assertEquals("tensor<3x?xf32>", infer("nn.one_hot", Map.of("axis", IntegerAttr.of(-1)), "tensor<3xi64>",
                "tensor<2xf32>", "tensor<f32>"));
    }

    @Test
    void staticFormsGiveStaticShapes() {
        assertEquals("tensor<2x3x6xf32>", infer("nn.expand", Map.of("shape", array(2, 1, 6)), "tensor<3x1xf32>"));
        assertEquals("tensor<2x?xf32>", infer("nn.concat", Map.of("axis", IntegerAttr.of(-1)), "tensor<2x3xf32>",
                "tensor<?x?xf32>"));
        assertEquals("tensor<5x1x2x3x2xf32>", infer("nn.gather", Map.of("axis", IntegerAttr.of(1)),
                "tensor<5x4x3x2xf32>", "tensor<1x2xi64>"));
        assertEquals("tensor<2x2x2xf32>", infer("nn.gather_nd", Map.of(), "tensor<2x2x2xf32>", "tensor<2x1xi64>"));
        assertEquals("tensor<2x2xf32>", infer("nn.gather_nd", Map.of("batch_dims", IntegerAttr.of(1)),
                "tensor<2x2x2xf32>", "tensor<2x1xi64>"));
        assertEquals("tensor<1x3x1x4x5x1xf32>", infer("nn.unsqueeze", Map.of("axes", array(-1, 0, 2)),
                "tensor<3x4x5xf32>"));
        assertEquals("tensor<3x5xf32>", infer("nn.squeeze", Map.of("axes", array(0, -2)), "tensor<1x3x1x5xf32>"));
        assertEquals("tensor<1x8x6xi32>", infer("nn.pad", Map.of("pads", array(0, 2, -1, 0, 4, 2)), "tensor<1x2x5xi32>"));
        assertEquals("tensor<1x2x4x6xf32>", infer("nn.depth_to_space", Map.of("block_size", IntegerAttr.of(2),
                "mode", new StringAttr("CRD")), "tensor<1x8x2x3xf32>"));
        assertEquals("tensor<2xi64>", infer("nn.shape", Map.of("start", IntegerAttr.of(-10), "end", IntegerAttr.of(-1)),
                "tensor<3x?x5xf32>"));
        assertEquals("tensor<2x?xi64>", infer("nn.non_zero", "tensor<2x2xi1>"));
    }

    @Test
    void splitInfersOneResultPerPieceWithTheLastOneSmaller() {
        List<Type> types = NnTestIR.definition("nn.split").inferResultTypes(List.of(tensor("tensor<2x7xf32>")),
                Map.of("axis", IntegerAttr.of(1), "num_outputs", IntegerAttr.of(3)));
        assertEquals(List.of(tensor("tensor<2x3xf32>"), tensor("tensor<2x3xf32>"), tensor("tensor<2x1xf32>")), types);
        List<Type> dynamic = NnTestIR.definition("nn.split").inferResultTypes(
                List.of(tensor("tensor<6xf32>"), tensor("tensor<2xi64>")), Map.of());
        assertEquals(List.of(tensor("tensor<?xf32>"), tensor("tensor<?xf32>")), dynamic);
    }

    @Test
    void rejectsWhatTheSpecForbids() {
        InvalidOpException squeeze = assertThrows(InvalidOpException.class,
                () -> infer("nn.squeeze", Map.of("axes", array(1)), "tensor<1x3xf32>"));
        assertEquals("axes [1] removes dimension 1 of size 3; only size-1 dims can be removed", squeeze.getMessage());
        assertThrows(InvalidOpException.class, () -> infer("nn.slice", slice(new long[] {0}, new long[] {1},
                new long[] {0}, new long[] {0}), "tensor<3xf32>"));
        assertThrows(InvalidOpException.class, () -> infer("nn.split", Map.of("split", array(2, 2)), "tensor<5xf32>"));
        assertThrows(InvalidOpException.class, () -> infer("nn.tile", Map.of("repeats", array(2)), "tensor<2x2xf32>"));
        assertThrows(InvalidOpException.class, () -> infer("nn.pad", Map.of("pads", array(1, 1),
                "mode", new StringAttr("mirror")), "tensor<2xf32>"));
    }

    @Test
    void verifierReportsAConcatOfMismatchedShapes() {
        NnTestIR ir = new NnTestIR(tensor("tensor<2x3xf32>"), tensor("tensor<4x3xf32>"));
        ir.op("nn.concat", tensor("tensor<2x6xf32>"), Map.of("axis", IntegerAttr.of(1)), ir.arg(0), ir.arg(1));
        assertOneError(ir.errors(), "'nn.concat' op", "expects operands to agree in every dim but axis 1",
                "tensor<2x3xf32> and tensor<4x3xf32> (dim 0)");
    }
}
