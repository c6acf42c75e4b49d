package health.outreach.imports;

import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * An uploaded CSV file spooled to disk, so that a million rows never sit in memory and the file
 * can be read twice: once to prove it is well formed (before anything is written), once to import.
 */
public final class CsvUpload implements AutoCloseable {

    /** Header = record 1; blank lines are skipped; quotes per RFC 4180; CRLF or LF. */
    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(true)
            .setRecordSeparator("\n")
            .get();

    private final Path file;

    private CsvUpload(Path file) {
        this.file = file;
    }

    /** Copies the body to a temporary file, refusing more than {@code maxBytes}. */
    public static CsvUpload spool(InputStream body, long maxBytes) {
        try {
            Path file = Files.createTempFile("outreach-import-", ".csv");
            try (InputStream in = body; OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        Files.deleteIfExists(file);
                        throw ProblemException.badRequest("file-too-large",
                                "The file is larger than " + maxBytes + " bytes", List.of());
                    }
                    out.write(buffer, 0, n);
                }
            }
            return new CsvUpload(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Streams every record to the consumer (header first). A file that is not UTF-8 or whose quotes
     * do not balance is answered as a 400 problem naming the row where reading stopped.
     */
    public void read(Consumer<CSVRecord> consumer) {
        long lastRecord = 0;
        try (Reader reader = reader(); CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            for (CSVRecord record : parser) {
                lastRecord = record.getRecordNumber();
                consumer.accept(record);
            }
        } catch (UncheckedIOException e) {
            throw malformed(e.getCause(), lastRecord + 1);
        } catch (IOException e) {
            throw malformed(e, lastRecord + 1);
        } catch (IllegalStateException e) {
            // Commons CSV reports some parse failures (e.g. unbalanced quotes) this way
            throw malformed(e.getCause() instanceof IOException io ? io : new IOException(e.getMessage()), lastRecord + 1);
        }
    }

    private Reader reader() throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        in.mark(3);
        byte[] bom = in.readNBytes(3);
        if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
            in.reset();
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private static ProblemException malformed(Throwable cause, long row) {
        String detail;
        if (cause instanceof CharacterCodingException) {
            detail = "The file is not UTF-8 text (at or after row " + row + "); save it as CSV UTF-8 and upload again";
        } else if (cause != null && cause.getMessage() != null && cause.getMessage().contains("EOF reached before encapsulated token")) {
            detail = "A quoted cell starting at or after row " + row + " is never closed (unbalanced quotes)";
        } else if (cause != null && cause.getMessage() != null && cause.getMessage().contains("invalid char between encapsulated token")) {
            detail = "Row " + row + " has text after a closing quote; quotes inside a cell must be doubled (\"\")";
        } else {
            detail = "The file could not be read as CSV at or after row " + row;
        }
        return ProblemException.badRequest("malformed-csv", detail,
                List.of(FieldError.atRow(row, null, detail)));
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

}
