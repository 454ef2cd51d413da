package dev.lathe.ir.dialect.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BroadcastTest {

    @ParameterizedTest(name = "{0} and {1} broadcast to {2}")
    @CsvSource(delimiter = '|', value = {
        "tensor<2x3xf32>   | tensor<3xf32>     | tensor<2x3xf32>",
        "tensor<2x1xf32>   | tensor<1x3xf32>   | tensor<2x3xf32>",
        "tensor<f32>       | tensor<4x5xf32>   | tensor<4x5xf32>",
        "tensor<?xf32>     | tensor<?xf32>     | tensor<?xf32>",
        "tensor<1xf32>     | tensor<?xf32>     | tensor<?xf32>",
        "tensor<?xf32>     | tensor<1xf32>     | tensor<?xf32>",
        "tensor<5xf32>     | tensor<?xf32>     | tensor<5xf32>",
        "tensor<?x1xf32>   | tensor<7x?xf32>   | tensor<7x?xf32>",
        "tensor<0x1xf32>   | tensor<3xf32>     | tensor<0x3xf32>",
        "tensor<8x1x6x1xf32> | tensor<7x1x5xf32> | tensor<8x7x6x5xf32>",
    })
    void broadcastsShapesWithNumpyRules(String a, String b, String expected) {
        assertEquals(expected, NnTestIR.infer("nn.add", a, b));
        assertEquals(expected, NnTestIR.infer("nn.add", b, a), "broadcasting is symmetric");
    }

    @Test
    void mismatchedStaticDimensionsDoNotBroadcast() {
        assertNull(Broadcast.shape(new long[] {2, 3}, new long[] {4}));
        assertNull(Broadcast.shape(new long[] {0}, new long[] {2}));
    }

    @Test
    void mapReadsBroadcastOperandsRepeatedly() {
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, Broadcast.map(new long[] {3}, new long[] {2, 3}));
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, Broadcast.map(new long[] {2, 1}, new long[] {2, 3}));
        assertArrayEquals(new int[] {0, 0}, Broadcast.map(new long[] {}, new long[] {2}));
    }

    @Test
    void offsetsWalkShapesInRowMajorOrder() {
        // A 2x3 tensor read column by column, i.e. through its transpose's strides.
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, IndexMath.offsets(new long[] {3, 2}, new long[] {1, 3}));
        assertArrayEquals(new long[] {12, 4, 1}, IndexMath.strides(new long[] {2, 3, 4}));
        assertArrayEquals(new int[] {0}, IndexMath.offsets(new long[] {}, new long[] {}));
        assertArrayEquals(new int[] {}, IndexMath.offsets(new long[] {2, 0}, new long[] {0, 1}));
    }
}
