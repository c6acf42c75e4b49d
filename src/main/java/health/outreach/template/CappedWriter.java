package health.outreach.template;

import java.io.Writer;

/**
 * Collects a render's output and cuts it off past a size or a deadline. Checked on every write, so a
 * template that keeps producing output is stopped; loops that produce nothing are prevented earlier
 * by {@link SandboxRules}.
 */
final class CappedWriter extends Writer {

    private final StringBuilder out = new StringBuilder();
    private final int maxChars;
    private final long deadlineNanos;

    CappedWriter(int maxChars, long timeoutNanos) {
        this.maxChars = maxChars;
        this.deadlineNanos = System.nanoTime() + timeoutNanos;
    }

    @Override
    public void write(char[] buffer, int offset, int length) {
        if (out.length() + length > maxChars) {
            throw new RenderException("the message is longer than " + maxChars + " characters");
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new RenderException("rendering took too long");
        }
        out.append(buffer, offset, length);
    }

    @Override
    public void write(String text, int offset, int length) {
        if (out.length() + length > maxChars) {
            throw new RenderException("the message is longer than " + maxChars + " characters");
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new RenderException("rendering took too long");
        }
        out.append(text, offset, offset + length);
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
        return out.toString();
    }
}
