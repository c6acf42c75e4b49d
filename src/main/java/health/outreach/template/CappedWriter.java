package health.outreach.template;

import java.io.Writer;
import java.util.Arrays;

/**
 * Collects a render's output and cuts it off past a size or a deadline. Checked on every write, so a
 * template that keeps producing output is stopped; loops that produce nothing are prevented earlier
 * by {@link SandboxRules}.
 * <p>
 * Output collects in a char array, not a StringBuilder: on Java 17 a Latin-1 StringBuilder appends
 * a char[] one char at a time (checking each fits), and FreeMarker writes a template's static text
 * as char[]; that loop was a third of the rendering time. Here it is one array copy, and the String
 * is compressed once at the end.
 */
final class CappedWriter extends Writer {

    private char[] out = new char[4096];
    private int length;
    private final int maxChars;
    private final long deadlineNanos;

    CappedWriter(int maxChars, long timeoutNanos) {
        this.maxChars = maxChars;
        this.deadlineNanos = System.nanoTime() + timeoutNanos;
    }

    @Override
    public void write(char[] buffer, int offset, int count) {
        reserve(count);
        System.arraycopy(buffer, offset, out, length, count);
        length += count;
    }

    @Override
    public void write(String text, int offset, int count) {
        reserve(count);
        text.getChars(offset, offset + count, out, length);
        length += count;
    }

    /** Checks the caps, then makes room for {@code count} more chars. */
    private void reserve(int count) {
        if (length + count > maxChars) {
            throw new RenderException("the message is longer than " + maxChars + " characters");
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new RenderException("rendering took too long");
        }
        if (length + count > out.length) {
            out = Arrays.copyOf(out, Math.min(maxChars, Math.max(out.length * 2, length + count)));
        }
    }

    @Override
    public void flush() {
        // nothing buffered elsewhere
    }

    @Override
    public void close() {
        // nothing to release
    }

    @Override
    public String toString() {
        return new String(out, 0, length);
    }
}
