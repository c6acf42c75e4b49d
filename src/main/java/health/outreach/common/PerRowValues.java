package health.outreach.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One UPDATE for many rows that each get their own value, in SQL both PostgreSQL and H2 run:
 * {@code SET col = CASE id WHEN ? THEN ? ... END ... WHERE id IN (?, ...)}. A JDBC batch of
 * single-row UPDATEs costs PostgreSQL an executor start, a lock and a result per row: measured with
 * pgbench on the outbox's indexes, about 105 µs of server CPU per row against 65 µs in one
 * statement. The SQL text depends only on the row count, so full batches reuse one prepared plan.
 */
public final class PerRowValues {

    private final List<Long> ids;
    private final Map<Long, ?> values;

    /** {@code values} by row id; iterated in id order so the statement locks rows in that order. */
    public PerRowValues(Map<Long, ?> values) {
        this.ids = new ArrayList<>(values.keySet());
        Collections.sort(ids);
        this.values = values;
    }

    public boolean isEmpty() {
        return ids.isEmpty();
    }

    public int size() {
        return ids.size();
    }

    public List<Long> ids() {
        return ids;
    }

    /**
     * {@code CASE id WHEN ? THEN CAST(? AS type) ... END}; its parameters are {@link #caseParams()}.
     * The cast gives the CASE a type when every branch is a parameter (H2 needs one).
     */
    public String caseSql(String valueType) {
        StringBuilder sql = new StringBuilder("CASE id");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(" WHEN ? THEN CAST(? AS ").append(valueType).append(')');
        }
        return sql.append(" END").toString();
    }

    public List<Object> caseParams() {
        List<Object> params = new ArrayList<>(ids.size() * 2);
        for (Long id : ids) {
            params.add(id);
            params.add(values.get(id));
        }
        return params;
    }

    /** {@code id IN (?, ...)}; its parameters are {@link #ids()}. */
    public String inSql() {
        return "id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
    }
}
