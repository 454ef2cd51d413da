package dev.lathe.ir;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps large resource blobs out of the IR text: the printer hands each blob to {@link #place},
 * which appends it (aligned) to a side file and returns the reference to print instead of the
 * hex, {@code "external:FILE:OFFSET:SIZE:ALIGNMENT"}. {@code FILE} is a bare file name in the
 * directory of the IR file; the parser reads the bytes back from there.
 */
public final class ExternalResources implements Closeable {

    public static final String PREFIX = "external:";

    /** A parsed {@code external:} reference. */
    public record Reference(String file, long offset, long size, int alignment) {

        /** The reference, or null when {@code text} is not a well-formed one. */
        public static Reference parse(String text) {
            if (!text.startsWith(PREFIX)) {
                return null;
            }
            String[] parts = text.substring(PREFIX.length()).split(":", -1);
            if (parts.length != 4 || !isBareFileName(parts[0])) {
                return null;
            }
            try {
                Reference r = new Reference(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                        Integer.parseInt(parts[3]));
                boolean ok = r.offset >= 0 && r.size >= 0 && r.alignment > 0 && Integer.bitCount(r.alignment) == 1;
                return ok ? r : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return PREFIX + file + ":" + offset + ":" + size + ":" + alignment;
        }
    }

    private final Path file;
    private final long minBytes;
    private final OutputStream out;
    private long offset;
    private int placed;

    /** Blobs of at least {@code minBytes} go to {@code file}, which is created or truncated. */
    public ExternalResources(Path file, long minBytes) throws IOException {
        this.file = file;
        this.minBytes = minBytes;
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
    }

    /** The reference to print for {@code blob}, or null to print it inline. */
    public String place(ResourceBlob blob) {
        if (blob.size() < minBytes) {
            return null;
        }
        try {
            long aligned = (offset + blob.alignment() - 1) / blob.alignment() * blob.alignment();
            out.write(new byte[(int) (aligned - offset)]);
            blob.writeTo(out);
            offset = aligned + blob.size();
            placed++;
            return new Reference(file.getFileName().toString(), aligned, blob.size(), blob.alignment()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /** How many blobs went to the side file. */
    public int placed() {
        return placed;
    }

    /** Only a plain name in the IR file's own directory, so a reference cannot point elsewhere. */
    static boolean isBareFileName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals(".") && !name.equals("..");
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
