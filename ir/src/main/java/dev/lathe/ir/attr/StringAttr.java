package dev.lathe.ir.attr;

/** {@code "text"} with C-style escapes for quotes, backslashes and non-printable bytes. */
public record StringAttr(String value) implements Attribute {

    public StringAttr {
        java.util.Objects.requireNonNull(value);
    }

    @Override
    public String text() {
        return quote(value);
    }

    /** Quotes and escapes a string the way the lexer un-escapes it. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append('\\').append(String.format("%02X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
