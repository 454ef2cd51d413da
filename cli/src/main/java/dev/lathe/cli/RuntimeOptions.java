package dev.lathe.cli;

import dev.lathe.runtime.Options;
import java.nio.file.Path;

/** The runtime {@link Options} the {@code run}, {@code compile} and {@code serve} flags ask for. */
final class RuntimeOptions {

    private RuntimeOptions() {}

    static Options of(Integer threads, boolean noOptimize, Path cacheDir, boolean noCache) {
        Options o = Options.defaults().withOptimize(!noOptimize);
        if (threads != null) {
            if (threads < 1) {
                throw new UserErrorException("--threads must be at least 1, got " + threads);
            }
            o = o.withThreads(threads);
        }
        if (noCache) {
            return o.withCacheDir(null);
        }
        return cacheDir != null ? o.withCacheDir(cacheDir) : o;
    }
}
