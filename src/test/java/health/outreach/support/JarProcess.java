package health.outreach.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged service ({@code target/outreach.jar}, as {@code deploy/} ships it) run as a separate
 * process, on a data folder and settings of the test's choosing, its output kept in a log file.
 * Integration tests and the fault suite start one or several of these instead of an application
 * context: what they exercise is the artifact, not the class folder.
 */
public final class JarProcess implements AutoCloseable {

    /** The jar that {@code mvn package} built (failsafe passes its path). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("outreach.it.jar", "target/outreach.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No packaged jar at " + jar.toAbsolutePath() + ": run mvn verify (or package first)");
        }
        return jar;
    }

    /** Where the processes' logs go (failsafe passes target/it-logs). */
    public static Path logDir() {
        return Path.of(System.getProperty("outreach.it.logs", "target/it-logs"));
    }

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private JarProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the jar in {@code workDir} (its {@code ./data} is the embedded database) with these
     * settings (Micronaut property names, passed as {@code -D} options) and environment variables,
     * on a free port unless the settings name one.
     */
    public static JarProcess start(String name, Path workDir, Map<String, String> settings, Map<String, String> environment,
                                   List<String> jvmOptions) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        int port = all.containsKey("micronaut.server.port") ? Integer.parseInt(all.get("micronaut.server.port")) : freePort();
        all.put("micronaut.server.port", String.valueOf(port));
        all.putIfAbsent("outreach.public-url", "http://127.0.0.1:" + port);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar().toAbsolutePath().toString());
        try {
            Files.createDirectories(logDir());
            Path log = logDir().resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return new JarProcess(name, port, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code /health} answers UP; fails with the log's tail if the process dies or takes too long. */
    public JarProcess awaitUp(Duration timeout) {
        await("node " + name + " answering /health").atMost(timeout).pollInterval(Duration.ofMillis(250))
                .failFast("node " + name + " exited: " + tail(40), () -> !process.isAlive())
                .until(() -> {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                        return r.statusCode() == 200 && r.body().contains("\"UP\"");
                    } catch (IOException e) {
                        return false;
                    }
                });
        return this;
    }

    /** SIGTERM, as an orchestrator stops a node; answers the exit code. */
    public int terminate(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("node " + name + " did not stop within " + timeout + " of SIGTERM: " + tail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** kill -9: the node stops at once, whatever it was doing. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) the process, as a stalled VM or a long GC pause would. */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String tail(int lines) {
        List<String> all = log().lines().toList();
        return "\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
