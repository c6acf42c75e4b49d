package health.outreach.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The relay the benchmark sends to: Postfix's smtp-sink (a C program, Debian package postfix) in a
 * process of its own when it is installed, so that the relay's CPU is not the service's; otherwise
 * the in-process {@link SmtpSink}, whose threads the CPU figures leave out.
 */
final class RelaySink implements AutoCloseable {

    static final String SMTP_SINK = "/usr/sbin/smtp-sink";

    final int port;
    final String kind;
    private final Process process;
    private final SmtpSink inProcess;

    private RelaySink(int port, String kind, Process process, SmtpSink inProcess) {
        this.port = port;
        this.kind = kind;
        this.process = process;
        this.inProcess = inProcess;
    }

    static RelaySink start() throws IOException, InterruptedException {
        if (!Boolean.getBoolean("inProcessSink") && Files.isExecutable(Path.of(SMTP_SINK))) {
            int port = freePort();
            List<String> command = List.of(SMTP_SINK, "-u", "nobody", "-m", "512", "127.0.0.1:" + port, "1024");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return new RelaySink(port, "Postfix smtp-sink (own process)", p, null);
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly();
            throw new IOException("smtp-sink did not start on port " + port);
        }
        SmtpSink sink = new SmtpSink();
        return new RelaySink(sink.port, "in-process sink (install postfix for smtp-sink)", null, sink);
    }

    /** Threads of the in-process sink, to leave out of the service's CPU. */
    static boolean isSinkThread(String name) {
        return name.startsWith("smtp-sink");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.destroyForcibly();
        }
        if (inProcess != null) {
            inProcess.close();
        }
    }
}
