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
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("resource alignment must be a power of two, got " + alignment);
        }
        this.data = data.clone();
        this.alignment = alignment;
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
