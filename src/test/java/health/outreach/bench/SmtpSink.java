package health.outreach.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback SMTP server that accepts and discards every message, counting them: the stand-in
 * for the relay a production node hands its mail to, which runs on another machine. It reads in
 * blocks and looks only for the end-of-data line, so the benchmark's cores go to the code under
 * test. The benchmark prefers Postfix's smtp-sink in a process of its own ({@link RelaySink}); this
 * one serves when Postfix is not installed, its threads left out of the CPU figures.
 * It speaks enough SMTP for Jakarta Mail: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
 */
final class SmtpSink implements AutoCloseable {

    private static final byte[] END_OF_DATA = {'\r', '\n', '.', '\r', '\n'};

    final AtomicLong received = new AtomicLong();
    final int port;
    private final ServerSocket server;
    private volatile boolean open = true;

    SmtpSink() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = server.getLocalPort();
        Thread acceptor = new Thread(this::accept, "smtp-sink");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (open) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "smtp-sink-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (open) {
                    e.printStackTrace();
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            Session session = new Session(in, out);
            session.reply("220 sink ESMTP");
            String line;
            while ((line = session.line()) != null) {
                String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> session.reply("250-sink\r\n250-8BITMIME\r\n250 SIZE 52428800");
                    case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> session.reply("250 OK");
                    case "DATA" -> {
                        session.reply("354 End data with <CR><LF>.<CR><LF>");
                        if (!session.skipData()) {
                            return;
                        }
                        received.incrementAndGet();
                        session.reply("250 OK queued");
                    }
                    case "QUIT" -> {
                        session.reply("221 bye");
                        return;
                    }
                    default -> session.reply("500 unknown command");
                }
            }
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            e.printStackTrace();
        }
    }

    /** One connection's buffered reader: command lines, and DATA skipped block by block. */
    private static final class Session {
        private final InputStream in;
        private final OutputStream out;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int limit;

        Session(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        void reply(String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** The next CRLF-terminated line without its terminator, or null at end of stream. */
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

        /**
         * Consumes message data through the CRLF.CRLF line; false if the stream ended first. The
         * data starts right after DATA's own CRLF, so that CRLF counts as the first two matched bytes.
         */
        boolean skipData() throws IOException {
            int matched = 2;
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

    @Override
    public void close() throws IOException {
        open = false;
        server.close();
    }
}
