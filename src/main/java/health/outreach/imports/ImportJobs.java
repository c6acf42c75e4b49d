package health.outreach.imports;

import health.outreach.common.FieldError;
import health.outreach.common.Jdbc;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The import_job rows: created when an upload is accepted, updated after every batch. */
@Singleton
public class ImportJobs {

    private final Jdbc jdbc;
    private final Clock clock;
    private final ObjectMapper json;

    public ImportJobs(Jdbc jdbc, Clock clock, ObjectMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.json = json;
    }

    /** A job whose file the first pass counted: {@code rows} data rows, for the report's progress. */
    public long create(String kind, String actor, long rows) {
        long id = create(kind, actor);
        jdbc.update("UPDATE import_job SET rows_total = ? WHERE id = ?", rows, id);
        return id;
    }

    public long create(String kind, String actor) {
        return jdbc.insert("INSERT INTO import_job (kind, status, created_by, created_at, heartbeat_at) VALUES (?, 'RUNNING', ?, ?, ?)",
                kind, actor, clock.instant(), clock.instant());
    }

    public void progress(long id, ImportProgress p) {
        ImportProgress.Mark now = p.mark();
        progress(id, new ImportProgress.Mark(now.rowsRead(), now.rejected() + p.rejectedAtWrite(), p.errors().size(),
                p.errorsTruncated()), p.imported(), p.updated(), p);
    }

    /**
     * The totals as of a commit: reading had got to {@code mark} (its rejected count including the
     * writer's), and {@code imported}/{@code updated} rows are written. Call in the transaction of the batch it counts, so a crash never leaves the
     * report counting rows that were not written (or missing rows that were).
     */
    public void progress(long id, ImportProgress.Mark mark, long imported, long updated, ImportProgress p) {
        jdbc.update("UPDATE import_job SET rows_read = ?, imported = ?, updated = ?, rejected = ?, errors = ?, "
                        + "errors_truncated = ?, heartbeat_at = ? WHERE id = ?",
                mark.rowsRead(), imported, updated, mark.rejected(), toJson(p.errors(mark.errors())), mark.errorsTruncated(),
                clock.instant(), id);
    }

    /** A running import still alive (its writer is waiting for the reader): keeps the sweep from failing it. */
    public void heartbeat(long id) {
        jdbc.update("UPDATE import_job SET heartbeat_at = ? WHERE id = ? AND status = 'RUNNING'", clock.instant(), id);
    }

    public void finish(long id, ImportProgress p, String failure) {
        progress(id, p);
        jdbc.update("UPDATE import_job SET status = ?, failure = ?, finished_at = ? WHERE id = ?",
                failure == null ? "DONE" : "FAILED", failure, clock.instant(), id);
    }

    /**
     * Imports whose node stopped (no batch for {@code silence}) become FAILED with a reason; rows
     * already written stay, and uploading the file again merges rather than duplicates them.
     */
    public int failSilent(java.time.Duration silence) {
        return jdbc.update("UPDATE import_job SET status = 'FAILED', failure = ?, finished_at = ? WHERE status = 'RUNNING' "
                        + "AND COALESCE(heartbeat_at, created_at) < ?",
                "the import stopped when the node running it did; upload the file again (rows already imported are merged)",
                clock.instant(), clock.instant().minus(silence));
    }

    public Optional<ImportReport> find(long id) {
        return jdbc.queryOne("SELECT * FROM import_job WHERE id = ?", rs -> new ImportReport(
                rs.getLong("id"), rs.getString("kind"), rs.getString("status"), rs.getLong("rows_read"),
                rs.getLong("imported"), rs.getLong("updated"), rs.getLong("rejected"), fromJson(rs.getString("errors")),
                rs.getBoolean("errors_truncated"), rs.getString("failure"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "finished_at"), Jdbc.nullableLong(rs, "rows_total")), id);
    }

    private String toJson(List<FieldError> errors) {
        try {
            return json.writeValueAsString(errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<FieldError> fromJson(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return json.readValue(text, Argument.listOf(FieldError.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
