package health.outreach.bench;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * Contact import on PostgreSQL: a generated CSV (1M rows by default, -Drows=N) through
 * POST /api/v1/contacts/import (validation, normalisation, dedupe, consent ledger, attributes) against
 * a plain JDBC batch insert of the same rows into the contact table, in the same run.
 * Targets: ≥ 50,000 rows/s and a ratio ≥ 0.5.
 */
public final class ImportBenchmark {

    private static final String[] AREAS = ("201 202 203 205 206 207 208 209 210 212 213 214 215 216 217 218 219 224 225 228 "
            + "229 231 234 239 240 248 251 252 253 254 256 260 262 267 269 270 276 281 301 302 303 304 305 307 308 309 310 "
            + "312 313 314 315 316 317 318 319 320 321 323 325 330 334 336 337 339 347 351 352 360 361 386 401 402 404 405 "
            + "406 407 408 409 410 412 413 414 415 417 419 423 424 425 430 432 434 435 440 443 469 478 479 480 484 501 502 "
            + "503 504 505 507 508 509 510 512 513 515 516 517 518 520 530 540 541 551 559 561 562 563 567 570 571 573").split(" ");
    private static final String[] FIRST = {"Ana", "Luis", "Maria", "James", "Linda", "José", "Wei", "Fatima", "Noah", "Olivia"};
    private static final String[] LAST = {"Garcia", "Smith", "Nguyen", "Johnson", "Martínez", "Brown", "Lee", "Davis"};
    private static final String[] ZONES = {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"};
    private static final String HEADER = "external_id,first_name,last_name,email,phone,locale,time_zone,postal_code,"
            + "consent_email,consent_sms,consent_source,attr.age_band";

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        Path csv = Files.createTempFile("outreach-bench-", ".csv");
        try (BenchDatabase db = BenchDatabase.create()) {
            generate(csv, rows);
            System.out.printf("Contact import benchmark: %,d rows, %,d MB, PostgreSQL database %s%n", rows,
                    Files.size(csv) >> 20, db.name);
            EmbeddedServer server = BenchServer.start(db, Map.of("outreach.scheduler.enabled", false));
            try (server) {
                long baselineNanos = baseline(db, csv);
                Timing.line("plain JDBC batch insert (baseline)", rows, baselineNanos);
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    s.execute("TRUNCATE contact CASCADE");
                }
                long importNanos = viaApi(server, csv, rows);
                Timing.line("POST /api/v1/contacts/import", rows, importNanos);
                double rate = Timing.perSecond(rows, importNanos);
                double ratio = (double) baselineNanos / importNanos;
                Timing.ratio("import rate / baseline rate", ratio, ">= 0.5", ratio >= 0.5);
                Timing.ratio("import rows/s (thousands)", rate / 1000, ">= 50", rate >= 50_000);
            }
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    static void generate(Path csv, int rows) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            for (int i = 0; i < rows; i++) {
                String area = AREAS[(i / 10_000) % AREAS.length];
                String line = String.format("%04d", i % 10_000);
                String phone = i % 3 == 0 ? "(" + area + ") 555-" + line : "+1" + area + "555" + line;
                w.write("B-" + i + "," + FIRST[i % FIRST.length] + "," + LAST[i % LAST.length] + ",person" + i
                        + "@example.org," + phone + "," + (i % 5 == 0 ? "es-US" : "en-US") + "," + ZONES[i % ZONES.length]
                        + "," + (10000 + i % 89999) + "," + (i % 10 < 8 ? "OPTED_IN" : "PENDING") + ","
                        + (i % 10 < 7 ? "OPTED_IN" : "") + ",website signup," + (i % 3 == 0 ? "18-44" : "45-64") + "\n");
            }
        }
    }

    /** The same rows, parsed and inserted into contact with no validation, one JDBC batch per 1,000 rows. */
    static long baseline(BenchDatabase db, Path csv) throws Exception {
        long start = System.nanoTime();
        try (Connection c = db.connect(); Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(CSVFormat.RFC4180.builder()
                     .setHeader().setSkipHeaderRecord(true).get()).get();
             PreparedStatement ps = c.prepareStatement("INSERT INTO contact (external_id, first_name, last_name, email, "
                     + "phone, locale, time_zone, postal_code, email_consent, sms_consent, created_at, updated_at) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            int n = 0;
            Timestamp now = Timestamp.from(Instant.now());
            for (CSVRecord r : parser) {
                ps.setString(1, r.get("external_id"));
                ps.setString(2, r.get("first_name"));
                ps.setString(3, r.get("last_name"));
                ps.setString(4, r.get("email"));
                ps.setString(5, r.get("phone"));
                ps.setString(6, r.get("locale"));
                ps.setString(7, r.get("time_zone"));
                ps.setString(8, r.get("postal_code"));
                ps.setString(9, r.get("consent_email"));
                ps.setString(10, r.get("consent_sms").isEmpty() ? "NONE" : r.get("consent_sms"));
                ps.setTimestamp(11, now);
                ps.setTimestamp(12, now);
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
        }
        return System.nanoTime() - start;
    }

    @SuppressWarnings("unchecked")
    static long viaApi(EmbeddedServer server, Path csv, int rows) throws Exception {
        try (HttpClient client = HttpClient.create(server.getURL())) {
            BlockingHttpClient http = client.toBlocking();
            JsonMapper json = JsonMapper.createDefault();
            String token = (String) json.readValue(http.retrieve(HttpRequest.POST("/login",
                    Map.of("username", "admin", "password", "bench-admin-password"))), Map.class).get("access_token");
            long start = System.nanoTime();
            String accepted = http.retrieve(HttpRequest.POST("/api/v1/contacts/import", Files.readAllBytes(csv))
                    .contentType(MediaType.of("text/csv")).bearerAuth(token));
            Object id = json.readValue(accepted, Map.class).get("id");
            Map<String, Object> report;
            do {
                Thread.sleep(200);
                report = json.readValue(http.retrieve(HttpRequest.GET("/api/v1/imports/" + id).bearerAuth(token)), Map.class);
            } while ("RUNNING".equals(report.get("status")));
            long nanos = System.nanoTime() - start;
            if (!"DONE".equals(report.get("status")) || ((Number) report.get("imported")).intValue() != rows) {
                throw new IllegalStateException("import did not complete: " + report);
            }
            return nanos;
        }
    }
}
