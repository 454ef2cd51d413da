package dev.lathe.runtime.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 over length-prefixed, tagged fields, so no two different field lists hash alike. */
final class Sha {

    private final MessageDigest md;

    Sha(String tag) {
        md = newDigest();
        add(tag);
    }

    Sha add(String s) {
        return add(s.getBytes(StandardCharsets.UTF_8));
    }

    Sha add(byte[] b) {
        add((long) b.length);
        md.update(b);
        return this;
    }

    Sha add(long v) {
        for (int i = 0; i < 8; i++) {
            md.update((byte) (v >>> (8 * i)));
        }
        return this;
    }

    byte[] digest() {
        return md.digest();
    }

    static byte[] of(byte[] data) {
        return newDigest().digest(data);
    }

    static byte[] of(ByteBuffer data) {
        MessageDigest d = newDigest();
        d.update(data.duplicate());
        return d.digest();
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
