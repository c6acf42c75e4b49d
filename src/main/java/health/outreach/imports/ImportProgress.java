package health.outreach.imports;

import health.outreach.common.FieldError;

import java.util.ArrayList;
import java.util.List;

/**
 * Running totals of one import; keeps the first {@code maxErrors} rejections in full. A reader may
 * run ahead of the writer: {@link #mark()} freezes how far reading had got when a batch was sealed,
 * so what is recorded with that batch's commit counts exactly the rows behind it.
 */
public final class ImportProgress {

    /** How far reading had got: rows read and rejected, and how many errors were listed by then. */
    public record Mark(long rowsRead, long rejected, int errors, boolean errorsTruncated) {
    }

    private final int maxErrors;
    private final List<FieldError> errors = new ArrayList<>();
    private long rowsRead;
    private long imported;
    private long updated;
    private long rejected;
    private long rejectedAtWrite;
    private boolean errorsTruncated;

    public ImportProgress(int maxErrors) {
        this.maxErrors = maxErrors;
    }

    public synchronized void read() {
        rowsRead++;
    }

    public synchronized void addImported(int count) {
        imported += count;
    }

    public synchronized void addUpdated(int count) {
        updated += count;
    }

    /** A row the writer refused (after reading had moved on): counted once, its problems listed. */
    public synchronized void rejectAtWrite(long row, List<FieldError> problems) {
        rejectedAtWrite++;
        list(row, problems);
    }

    /** A rejected row: counted once, with each of its problems listed. */
    public synchronized void reject(long row, List<FieldError> problems) {
        rejected++;
        list(row, problems);
    }

    private void list(long row, List<FieldError> problems) {
        for (FieldError problem : problems) {
            if (errors.size() < maxErrors) {
                errors.add(FieldError.atRow(row, problem.field(), problem.message()));
            } else {
                errorsTruncated = true;
            }
        }
    }

    /** How far reading has got (its rejections only: the writer's are counted as it commits). */
    public synchronized Mark mark() {
        return new Mark(rowsRead, rejected, errors.size(), errorsTruncated);
    }

    public synchronized long rejectedAtWrite() {
        return rejectedAtWrite;
    }

    /** The first {@code count} errors listed. */
    public synchronized List<FieldError> errors(int count) {
        return List.copyOf(errors.subList(0, Math.min(count, errors.size())));
    }

    public synchronized long rowsRead() {
        return rowsRead;
    }

    public synchronized long imported() {
        return imported;
    }

    public synchronized long updated() {
        return updated;
    }

    public synchronized long rejected() {
        return rejected + rejectedAtWrite;
    }

    public synchronized List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public synchronized boolean errorsTruncated() {
        return errorsTruncated;
    }
}
