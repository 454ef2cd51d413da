package dev.lathe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lathe serve} as a child process on an ephemeral loopback port ({@code --port 0}): started
 * through the {@code ./lathe} launcher, which {@code exec}s the JVM, so the child's pid is the
 * server JVM's and its {@code /proc/PID/status} gives the server's own memory (the launcher may
 * first rebuild the CLI jar; the startup timeout allows for it). Its stdout is echoed with a
 * {@code server: } prefix and read for the port; stderr goes to ours.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+) ");

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Runs {@code LAUNCHER serve MODEL --port 0 EXTRA...} and waits until it prints its port. */
    static ServerProcess start(Path launcher, Path model, List<String> extra, double startupSeconds) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString(), "serve", model.toString(), "--port", "0"));
        command.addAll(extra);
        System.out.println("starting: " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        // No JDK AOT cache (cli/aot-cache.sh): a recording run would write one at exit, and a
        // cache file is made for one jar (the bench's must not be handed to the CLI's).
        builder.environment().put("LATHE_AOT_CACHE", "off");
        Process p = builder.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println("server: " + line);
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // The server went away; the port (if still pending) fails below.
            }
            port.completeExceptionally(new IOException("the server's output ended before it printed its port"));
        }, "server-stdout");
        reader.setDaemon(true);
        reader.start();
        ServerProcess server = null;
        try {
            server = new ServerProcess(p, port.get((long) (startupSeconds * 1000), TimeUnit.MILLISECONDS));
            return server;
        } catch (TimeoutException e) {
            throw new IOException("the server printed no port within " + startupSeconds + " s");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage() + " (exit code " + (p.isAlive() ? "none yet" : p.exitValue()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the server");
        } finally {
            if (server == null) {
                p.destroyForcibly();
            }
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The server JVM's resident and peak resident memory now, from {@code /proc/PID/status}. */
    Memory memory() throws IOException {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        long rss = -1;
        long hwm = -1;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = kilobytes(line);
            }
        }
        return new Memory(rss, hwm);
    }

    private static long kilobytes(String line) {
        // "VmRSS:	  846476 kB"
        return Long.parseLong(line.substring(line.indexOf(':') + 1).replace("kB", "").trim());
    }

    /** Resident set and its peak (VmHWM), in KiB. */
    record Memory(long rssKb, long peakKb) {
        double rssMb() {
            return rssKb / 1024.0;
        }

        double peakMb() {
            return peakKb / 1024.0;
        }
    }

    /** SIGTERM (the server's shutdown hook closes the model), then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
