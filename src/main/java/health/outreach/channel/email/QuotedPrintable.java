package health.outreach.channel.email;

import java.util.Arrays;

/**
 * Quoted-printable body encoding (RFC 2045 §6.7) from bytes to bytes in one pass. Line breaks in
 * the text (CRLF or LF) stay hard line breaks, written as CRLF; lines are soft-broken with "=" to at
 * most 76 characters; '=', controls, a lone CR and bytes above 126 become "=XX"; a space or tab
 * before a line break or at the end is encoded so no transport can strip it. Jakarta Mail's
 * encoder stream does the same a byte per call through two stream layers; on the email benchmark
 * that took as long as rendering the message.
 */
final class QuotedPrintable {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int MAX_LINE = 75; // characters before the soft break's '='

    private QuotedPrintable() {
    }

    static byte[] encode(byte[] in) {
        byte[] out = new byte[in.length + in.length / 3 + 16];
        int size = 0;
        int line = 0;
        for (int i = 0; i < in.length; i++) {
            int b = in[i] & 0xff;
            if (b == '\n' || (b == '\r' && i + 1 < in.length && in[i + 1] == '\n')) {
                if (b == '\r') {
                    i++;
                }
                out = room(out, size, 2);
                out[size++] = '\r';
                out[size++] = '\n';
                line = 0;
                continue;
            }
            boolean literal = b == ' ' || b == '\t' ? !beforeLineEnd(in, i + 1) : b >= 33 && b <= 126 && b != '=';
            int width = literal ? 1 : 3;
            out = room(out, size, width + 3);
            if (line + width > MAX_LINE) {
                out[size++] = '=';
                out[size++] = '\r';
                out[size++] = '\n';
                line = 0;
            }
            if (literal) {
                out[size++] = (byte) b;
            } else {
                out[size++] = '=';
                out[size++] = HEX[b >> 4];
                out[size++] = HEX[b & 0xf];
            }
            line += width;
        }
        return Arrays.copyOf(out, size);
    }

    /** True when position {@code i} is the end of the data or starts a line break. */
    private static boolean beforeLineEnd(byte[] in, int i) {
        return i >= in.length || in[i] == '\n' || (in[i] == '\r' && i + 1 < in.length && in[i + 1] == '\n');
    }

    private static byte[] room(byte[] out, int size, int needed) {
        return size + needed <= out.length ? out : Arrays.copyOf(out, Math.max(out.length * 2, size + needed));
    }
}
