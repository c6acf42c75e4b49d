package health.outreach.template;

import health.outreach.common.Channel;
import health.outreach.common.FieldError;
import health.outreach.common.Hashing;
import health.outreach.common.Jdbc;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads the default library from {@code templates/} into the database at every start: a new folder
 * becomes a template, a changed file becomes a new version (compared by a hash of its files), an
 * unchanged one is left alone, and a template a coordinator has edited is never overwritten. Library templates pass the same validation as API saves; one that
 * does not is logged and skipped. Several nodes starting together race on unique keys, and the
 * loser simply finds the work done.
 */
@Singleton
public class TemplateLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateLibrary.class);

    @Serdeable
    record Metadata(String name, Channel channel, @Nullable String purpose, @Nullable String description,
                    @Nullable List<String> attributes) {
    }

    /** What a sync did, for logs and tests. */
    public record SyncResult(int created, int updated, int unchanged, List<String> failures) {
    }

    private final LibraryFiles files;
    private final TemplateStore store;
    private final TemplateValidator validator;
    private final ObjectMapper json;
    private final TransactionOperations<Connection> transactions;

    public TemplateLibrary(LibraryFiles files, TemplateStore store, TemplateValidator validator, ObjectMapper json,
                           TransactionOperations<Connection> transactions) {
        this.files = files;
        this.store = store;
        this.validator = validator;
        this.json = json;
        this.transactions = transactions;
    }

    public SyncResult sync() {
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        List<String> failures = new ArrayList<>();
        for (LibraryFiles.LibraryTemplate t : files.read().templates()) {
            try {
                switch (transactions.executeWrite(status -> syncOne(t))) {
                    case CREATED -> created++;
                    case UPDATED -> updated++;
                    default -> unchanged++;
                }
            } catch (Jdbc.DataAccessFailure e) {
                if (!e.isUniqueViolation()) {
                    throw e;
                }
                unchanged++; // another node loaded it at the same moment
            } catch (RuntimeException e) {
                failures.add(t.key() + ": " + e.getMessage());
                LOG.error("Library template {} was not loaded: {}", t.key(), e.getMessage());
            }
        }
        LOG.info("Template library: {} created, {} new versions, {} unchanged", created, updated, unchanged);
        return new SyncResult(created, updated, unchanged, failures);
    }

    private enum Outcome { CREATED, UPDATED, UNCHANGED }

    private Outcome syncOne(LibraryFiles.LibraryTemplate t) {
        Metadata meta = metadata(t);
        List<TemplateVariant> variants = variants(t);
        List<String> attributes = meta.attributes() == null ? List.of() : meta.attributes();
        String hash = Hashing.sha256Hex(t.metadataJson() + "\u0000" + variants);
        var existing = store.findByLibraryKey(t.key());
        if (existing.isPresent()) {
            // Compared with the last version the library itself loaded: a coordinator's later edit
            // (a version without a source hash) is theirs and stays current; a changed library file
            // does not overwrite it either, it is only logged.
            List<TemplateStore.VersionRow> versions = store.versions(existing.get().id());
            var lastLoaded = versions.stream().filter(v -> v.sourceHash() != null).reduce((a, b) -> b);
            if (lastLoaded.isPresent() && hash.equals(lastLoaded.get().sourceHash())) {
                return Outcome.UNCHANGED;
            }
            var current = versions.get(versions.size() - 1);
            if (current.sourceHash() == null) {
                LOG.info("Library template {} changed, but {} edited it since (version {}); the library's new text is not applied",
                        t.key(), current.createdBy(), current.version());
                return Outcome.UNCHANGED;
            }
        }
        List<FieldError> errors = validator.validate(meta.channel(), variants, attributes);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.stream().map(e -> e.field() + ": " + e.message()).toList().toString());
        }
        long id;
        if (existing.isPresent()) {
            id = existing.get().id();
        } else {
            if (store.findByName(meta.name()).isPresent()) {
                throw new IllegalStateException("a template named '" + meta.name() + "' already exists (not from the library)");
            }
            id = store.createTemplate(meta.name(), meta.channel(), meta.purpose(), meta.description(), t.key());
        }
        store.addVersion(id, attributes, hash, "library", TemplateService.canonical(variants));
        return existing.isPresent() ? Outcome.UPDATED : Outcome.CREATED;
    }

    private Metadata metadata(LibraryFiles.LibraryTemplate t) {
        try {
            return json.readValue(t.metadataJson(), Argument.of(Metadata.class));
        } catch (IOException e) {
            throw new IllegalStateException("template.json is not valid: " + e.getMessage());
        }
    }

    private static List<TemplateVariant> variants(LibraryFiles.LibraryTemplate t) {
        List<TemplateVariant> variants = new ArrayList<>();
        for (Map.Entry<String, Map<TemplatePart, String>> e : t.variants().entrySet()) {
            Map<TemplatePart, String> p = e.getValue();
            String subject = p.get(TemplatePart.SUBJECT);
            String sms = p.get(TemplatePart.SMS);
            variants.add(new TemplateVariant(e.getKey(), subject == null ? null : subject.strip(),
                    p.get(TemplatePart.HTML), p.get(TemplatePart.TEXT), sms == null ? null : sms.strip()));
        }
        return variants;
    }
}
