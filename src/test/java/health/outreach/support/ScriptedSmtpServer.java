package health.outreach.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SMTP server on a loopback socket whose answers a test scripts: per stage (RCPT, after the
 * end-of-data dot) and recipient it replies with any code, replies and closes the connection, closes
 * without a word, or never answers. It can stop listening (a relay that is down: connections
 * refused) and come back on the same port. It counts what it accepted per recipient, so a test can
 * tell lost messages from duplicates.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    public enum Stage { RCPT, AFTER_DATA }

    /** What the server does at a stage. */
    public record Answer(String reply, boolean close, boolean silent, boolean hangs) {
        public static final Answer OK = new Answer(null, false, false, false);

        /** Replies with this line ("451 4.7.1 try later"), keeping the connection. */
        public static Answer reply(String line) {
            return new Answer(line, false, false, false);
        }

        /** Replies with this line, then closes the connection (what a relay does with 421). */
        public static Answer replyAndClose(String line) {
            return new Answer(line, true, false, false);
        }

        /** Closes the connection without answering (after the data: the relay has the message). */
        public static Answer dropConnection() {
            return new Answer(null, true, true, false);
        }

        /** Never answers, until the server stops (after the data: the relay has the message). */
        public static Answer neverAnswer() {
            return new Answer(null, false, true, true);
        }
    }

    /** Decides the answer for a recipient at a stage; null or {@link Answer#OK} for the normal 250. */
    @FunctionalInterface
    public interface Script {
        Answer answer(Stage stage, String recipient);
    }

    private static final byte[] END_OF_DATA = {'\r', '\n', '.', '\r', '\n'};

    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger acceptedTotal = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Script script = (stage, rcpt) -> Answer.OK;
    private volatile ServerSocket server;
    private final int port;

    public ScriptedSmtpServer() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = s.getLocalPort();
        listen(s);
    }

    public int port() {
        return port;
    }

    public void script(Script script) {
        this.script = script;
    }

    /** How many times the server accepted (250 after the data) a message to this recipient. */
    public int accepted(String recipient) {
        AtomicInteger n = accepted.get(recipient.toLowerCase(Locale.ROOT));
        return n == null ? 0 : n.get();
    }

    public int acceptedTotal() {
        return acceptedTotal.get();
    }

    /** Recipients accepted more than once. */
    public Map<String, Integer> duplicates() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        accepted.forEach((k, v) -> {
            if (v.get() > 1) {
                out.put(k, v.get());
            }
        });
        return out;
    }

    /** The relay goes down: no more connections, and the open ones are cut. */
    public synchronized void down() throws IOException {
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        for (Socket socket : open) {
            socket.close();
        }
    }

    /** The relay comes back on the same port. */
    public synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listen(s);
    }

    private void listen(ServerSocket s) {
        server = s;
        Thread acceptor = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket socket = s.accept();
                    open.add(socket);
                    Thread t = new Thread(() -> serve(socket), "scripted-smtp-session");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            Reader reader = new Reader(in);
            reply(out, "220 scripted ESMTP");
            String recipient = null;
            String line;
            while ((line = reader.line()) != null) {
                if (server == null) {
                    return; // brought down: a session accepted just before down() must not go on serving
                }
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-scripted\r\n250-8BITMIME\r\n250 SIZE 52428800");
                    case "HELO", "NOOP" -> reply(out, "250 OK");
                    case "RSET" -> {
                        recipient = null;
                        reply(out, "250 OK");
                    }
                    case "MAIL" -> reply(out, "250 OK");
                    case "RCPT" -> {
                        String to = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>')).toLowerCase(Locale.ROOT);
                        if (!act(out, socket, Stage.RCPT, to, "250 OK")) {
                            return;
                        }
                        recipient = to;
                    }
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        if (!reader.skipData()) {
                            return;
                        }
                        String to = recipient;
                        recipient = null;
                        if (!act(out, socket, Stage.AFTER_DATA, to, null)) {
                            return;
                        }
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "500 unknown command");
                }
            }
        } catch (IOException e) {
            // the client went away, or the server was brought down
        } finally {
            open.remove(socket);
        }
    }

    /** Carries out the script's answer; false when the connection is to end. */
    private boolean act(OutputStream out, Socket socket, Stage stage, String recipient, String normal) throws IOException {
        Answer a = script.answer(stage, recipient);
        if (a == null || a == Answer.OK) {
            if (stage == Stage.AFTER_DATA) {
                accepted.computeIfAbsent(recipient, k -> new AtomicInteger()).incrementAndGet();
                acceptedTotal.incrementAndGet();
                reply(out, "250 2.0.0 OK queued");
            } else {
                reply(out, normal);
            }
            return true;
        }
        log.add(stage + " " + recipient + " " + (a.reply() == null ? (a.hangs() ? "(hang)" : "(drop)") : a.reply()));
        if (a.silent() && stage == Stage.AFTER_DATA) {
            accepted.computeIfAbsent(recipient, k -> new AtomicInteger()).incrementAndGet(); // it arrived; no answer will
            acceptedTotal.incrementAndGet();
        }
        if (a.hangs()) {
            try {
                released.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        if (!a.silent()) {
            reply(out, a.reply());
        }
        if (a.close()) {
            socket.close();
            return false;
        }
        return true;
    }

    /** What the server did other than accept, in order ("AFTER_DATA x@example.org 421 ..."). */
    public List<String> log() {
        return List.copyOf(log);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        released.countDown();
        down();
    }

    /** Command lines, and DATA skipped in blocks up to the end-of-data line. */
    private static final class Reader {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;

        Reader(InputStream in) {
            this.in = in;
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (pos == limit && !fill()) {
                    return null;
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) (b & 0xff));
            }
        }

        boolean skipData() throws IOException {
            int matched = 2; // DATA's own CRLF counts as the first two bytes of CRLF.CRLF
            while (true) {
                if (pos == limit && !fill()) {
                    return false;
                }
                while (pos < limit) {
                    byte b = buf[pos++];
                    if (b == END_OF_DATA[matched]) {
                        if (++matched == END_OF_DATA.length) {
                            return true;
                        }
                    } else {
                        matched = b == '\r' ? 1 : 0;
                    }
                }
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }
    }
}
