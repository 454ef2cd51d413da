package dev.lathe.frontend;

import dev.lathe.frontend.LatheIRParser.ResourceDialectContext;
import dev.lathe.frontend.LatheIRParser.ResourceEntryContext;
import dev.lathe.frontend.LatheIRParser.ResourceSectionContext;
import dev.lathe.ir.ExternalResources;
import dev.lathe.ir.Module;
import dev.lathe.ir.ResourceBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.antlr.v4.runtime.Token;

/**
 * The trailing {@code {-# dialect_resources: { builtin: { name: "0x..." } } #-}} section. Each
 * blob is a hex string: four bytes of little-endian alignment, then the data. Blobs of every
 * dialect key go into the one module table; decoding is linear in the text's length. A blob may
 * instead live in a side file beside the IR file ({@code "external:FILE:OFFSET:SIZE:ALIGNMENT"},
 * see {@link ExternalResources}).
 */
final class ResourceSectionReader {

    private static final int HEADER_DIGITS = 8;

    private final Problems problems;
    private final AttributeReader attributes;

    ResourceSectionReader(Problems problems, AttributeReader attributes) {
        this.problems = problems;
        this.attributes = attributes;
    }

    void read(ResourceSectionContext ctx, Module module) {
        Token section = ctx.BARE_ID().getSymbol();
        if (!section.getText().equals("dialect_resources")) {
            problems.error(problems.at(section), "expected 'dialect_resources' in the resource section, found "
                    + Problems.quoteForMessage(section.getText()));
            return;
        }
        for (ResourceDialectContext dialect : ctx.resourceDialect()) {
            for (ResourceEntryContext entry : dialect.resourceEntry()) {
                String name = null;
                try {
                    name = attributes.resourceKey(entry.resourceKey());
                    if (module.resource(name) != null) {
                        throw problems.fail(problems.at(entry), "duplicate resource " + Problems.quoteForMessage(name));
                    }
                    module.putResource(name, blob(entry.STRING().getSymbol()));
                } catch (ParseFailure f) {
                    problems.record(f);
                    if (name != null) {
                        attributes.resourceFailed(name);
                    }
                }
            }
        }
    }

    private ResourceBlob blob(Token token) {
        String text = token.getText(); // quotes included
        if (text.startsWith("\"" + ExternalResources.PREFIX)) {
            return external(token, text.substring(1, text.length() - 1));
        }
        int end = text.length() - 1;
        if (!text.startsWith("\"0x") || end - 3 < HEADER_DIGITS || (end - 3) % 2 != 0) {
            throw problems.fail(problems.at(token), "resource blob must be \"0x\" followed by an even number of hex"
                    + " digits: 8 for the little-endian alignment, then the data");
        }
        byte[] header = DenseLiteralReader.decodeHex(problems, token, text, 3, 3 + HEADER_DIGITS);
        int alignment = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16
                | (header[3] & 0xff) << 24;
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw problems.fail(problems.at(token, 3), "resource alignment must be a power of two, found "
                    + Integer.toUnsignedString(alignment));
        }
        byte[] data = DenseLiteralReader.decodeHex(problems, token, text, 3 + HEADER_DIGITS, end);
        return new ResourceBlob(data, alignment);
    }

    /** A blob kept in a side file next to the IR file: {@code external:FILE:OFFSET:SIZE:ALIGNMENT}. */
    private ResourceBlob external(Token token, String reference) {
        ExternalResources.Reference ref = ExternalResources.Reference.parse(reference);
        if (ref == null) {
            throw problems.fail(problems.at(token), "expected an external resource as \"external:FILE:OFFSET:SIZE:ALIGNMENT\""
                    + " with FILE a plain file name beside the IR file, found " + Problems.quoteForMessage(reference));
        }
        Path dir = baseDirectory();
        Path file = dir.resolve(ref.file());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ref.offset() + ref.size() > channel.size() || ref.size() > Integer.MAX_VALUE) {
                throw problems.fail(problems.at(token), "external resource " + ref + " lies beyond the end of "
                        + file + " (" + channel.size() + " bytes)");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) ref.size());
            while (bytes.hasRemaining() && channel.read(bytes, ref.offset() + bytes.position()) >= 0) {
                // read until full
            }
            return new ResourceBlob(bytes.array(), ref.alignment());
        } catch (java.nio.file.NoSuchFileException e) {
            throw problems.fail(problems.at(token), "cannot read external resource file " + file + ": no such file");
        } catch (IOException e) {
            throw problems.fail(problems.at(token), "cannot read external resource file " + file + ": " + e);
        }
    }

    /** Side files are looked up beside the IR file, or in the working directory for standard input. */
    private Path baseDirectory() {
        try {
            Path parent = Path.of(problems.fileName()).toAbsolutePath().getParent();
            return parent == null ? Path.of(".") : parent;
        } catch (InvalidPathException e) {
            return Path.of(".");
        }
    }
}
