package health.outreach.imports;

import health.outreach.common.FieldError;

import java.util.ArrayList;
import java.util.List;

/** Running totals of one import; keeps the first {@code maxErrors} rejections in full. */
public final class ImportProgress {

    private final int maxErrors;
    private final List<FieldError> errors = new ArrayList<>();
    private long rowsRead;
    private long imported;
    private long updated;
    private long rejected;
    private boolean errorsTruncated;

    public ImportProgress(int maxErrors) {
        this.maxErrors = maxErrors;
    }

    public void read() {
        rowsRead++;
    }

    public void addImported(int count) {
        imported += count;
    }

    public void addUpdated(int count) {
        updated += count;
    }

    /** A rejected row: counted once, with each of its problems listed. */
    public void reject(long row, List<FieldError> problems) {
        rejected++;
        for (FieldError problem : problems) {
            if (errors.size() < maxErrors) {
                errors.add(FieldError.atRow(row, problem.field(), problem.message()));
            } else {
                errorsTruncated = true;
            }
        }
    }

    public long rowsRead() {
        return rowsRead;
    }

    public long imported() {
        return imported;
    }

    public long updated() {
        return updated;
    }

    public long rejected() {
        return rejected;
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public boolean errorsTruncated() {
        return errorsTruncated;
    }
}
