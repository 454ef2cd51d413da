package dev.lathe.ir;

import java.util.Arrays;

/**
 * The bytes behind a {@code dense_resource<name>}: raw little-endian elements plus the
 * alignment the data needs when mapped. Immutable; rewrites share it instead of copying.
 */
public final class ResourceBlob {

    private final byte[] data;
    private final int alignment;

    public ResourceBlob(byte[] data, int alignment) {
        this(alignment, data.clone());
    }

    private ResourceBlob(int alignment, byte[] data) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("resource alignment must be a power of two, got " + alignment);
        }
        this.data = data;
        this.alignment = alignment;
    }

    /**
     * A blob that keeps {@code data} itself instead of a copy: the caller hands the array over
     * and must not change it afterwards. For importers, whose weights are most of a model's size.
     */
    public static ResourceBlob adopt(byte[] data, int alignment) {
        return new ResourceBlob(alignment, data);
    }

    public int alignment() {
        return alignment;
    }

    public int size() {
        return data.length;
    }

    public byte[] data() {
        return data.clone();
    }

    /** The bytes as a read-only view, for readers that copy them once themselves. */
    public java.nio.ByteBuffer asReadOnlyBuffer() {
        return java.nio.ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** Writes the bytes without copying them. */
    public void writeTo(java.io.OutputStream out) throws java.io.IOException {
        out.write(data);
    }

    public byte byteAt(int i) {
        return data[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceBlob b && b.alignment == alignment && Arrays.equals(b.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + alignment;
    }
}
