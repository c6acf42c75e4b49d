package health.outreach.bench;

import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicLong;

/** A loopback SMTP server that accepts and discards every message, counting them. */
final class SmtpSink implements AutoCloseable {

    final AtomicLong received = new AtomicLong();
    final int port;
    private final SMTPServer server;

    SmtpSink() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = SMTPServer.port(port).messageHandlerFactory(this::handler).build();
        server.start();
    }

    private MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            @Override
            public void from(String from) {
            }

            @Override
            public void recipient(String recipient) {
            }

            @Override
            public String data(InputStream data) throws IOException {
                data.transferTo(OutputStreamHolder.NULL);
                received.incrementAndGet();
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    @Override
    public void close() {
        server.stop();
    }

    private static final class OutputStreamHolder {
        static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();
    }
}
