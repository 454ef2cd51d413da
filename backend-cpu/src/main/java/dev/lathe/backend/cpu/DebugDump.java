package dev.lathe.backend.cpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --debug-dump DIR}: the compilers write what they saw and made there: {@code loop.lir}
 * (the input), {@code module.ll} (LLVM IR as emitted), {@code module.opt.ll} (after O3) and
 * {@code module.s} (the target assembly).
 */
public record DebugDump(Path directory) {

    public static final String LOOP_IR = "loop.lir";
    public static final String LLVM_IR = "module.ll";
    public static final String OPTIMIZED_LLVM_IR = "module.opt.ll";
    public static final String ASSEMBLY = "module.s";

    public void write(String fileName, String text) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve(fileName), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the debug dump " + directory.resolve(fileName), e);
        }
    }
}
