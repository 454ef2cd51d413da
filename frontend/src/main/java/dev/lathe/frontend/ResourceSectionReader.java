package dev.lathe.frontend;

import dev.lathe.frontend.LatheIRParser.ResourceDialectContext;
import dev.lathe.frontend.LatheIRParser.ResourceEntryContext;
import dev.lathe.frontend.LatheIRParser.ResourceSectionContext;
import dev.lathe.ir.Module;
import dev.lathe.ir.ResourceBlob;
import org.antlr.v4.runtime.Token;

/**
 * The trailing {@code {-# dialect_resources: { builtin: { name: "0x..." } } #-}} section. Each
 * blob is a hex string: four bytes of little-endian alignment, then the data. Blobs of every
 * dialect key go into the one module table; decoding is linear in the text's length.
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
}
