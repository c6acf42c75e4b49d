package health.outreach.segment;

import health.outreach.audit.AuditLog;
import health.outreach.common.Jdbc;
import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.contact.AttributeDefinitions;
import health.outreach.contact.AttributeType;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Segments: named rules over contacts, validated and compiled on every save. */
@Singleton
public class SegmentService {

    private final SegmentRepository repository;
    private final AttributeDefinitions attributes;
    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final AuditLog audit;
    private final Clock clock;
    private final Cache<String, Long> recentCounts = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    public SegmentService(SegmentRepository repository, AttributeDefinitions attributes, Jdbc jdbc, ObjectMapper json,
                          AuditLog audit, Clock clock) {
        this.repository = repository;
        this.attributes = attributes;
        this.jdbc = jdbc;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
    }

    public List<SegmentView> list() {
        return repository.listOrderByName().stream().map(this::view).toList();
    }

    public Optional<SegmentView> get(long id) {
        return repository.findById(id).map(this::view);
    }

    public Optional<SegmentView> findByName(String name) {
        return repository.findByName(name).map(this::view);
    }

    /** The predicate over {@code contact c} selecting the segment's members (consent not included). */
    public SqlPredicate predicate(long segmentId) {
        Segment segment = repository.findById(segmentId).orElseThrow(() -> ProblemException.notFound("Segment", segmentId));
        return SegmentQuery.compile(parse(segment.ruleJson()), attributes::typeOf, clock);
    }

    /**
     * How many people each segment holds now, for lists and pickers: counted at most once a minute
     * per segment version (a list of many segments over a large contact table would otherwise run
     * one full count per segment per page view). Editing a segment counts it afresh.
     */
    public Map<Long, Long> recentCounts(List<SegmentView> list) {
        Map<Long, Long> counts = new java.util.LinkedHashMap<>();
        for (SegmentView v : list) {
            counts.put(v.id(), recentCounts.get(v.id() + "@" + v.updatedAt(), k -> count(v.id())));
        }
        return counts;
    }

    /** How many people a rule not yet saved would hold (the page's Count button). @throws ProblemException 422 for a bad rule */
    public long countRule(SegmentRule rule) {
        SqlPredicate p = SegmentQuery.compile(rule, attributes::typeOf, clock);
        return jdbc.queryLong("SELECT COUNT(*) FROM contact c WHERE c.erased_at IS NULL AND " + p.sql(), p.params().toArray());
    }

    /** The attributes a condition may test, with their types. */
    public Map<String, AttributeType> attributes() {
        return attributes.all();
    }

    public long count(long segmentId) {
        SqlPredicate p = predicate(segmentId);
        return jdbc.queryLong("SELECT COUNT(*) FROM contact c WHERE c.erased_at IS NULL AND " + p.sql(), p.params().toArray());
    }

    @Transactional
    public SegmentView create(String name, String description, SegmentRule rule, String actor) {
        SegmentQuery.compile(rule, attributes::typeOf, clock);
        requireUniqueName(name, null);
        Instant now = clock.instant();
        Segment saved = repository.save(new Segment(null, name.strip(), description, toJson(rule), actor, now, now));
        audit.record("segment.create", "segment", saved.id(), Map.of("name", saved.name()));
        return view(saved);
    }

    @Transactional
    public SegmentView update(long id, String name, String description, SegmentRule rule) {
        Segment existing = repository.findById(id).orElseThrow(() -> ProblemException.notFound("Segment", id));
        SegmentQuery.compile(rule, attributes::typeOf, clock);
        requireUniqueName(name, id);
        Segment saved = repository.update(new Segment(id, name.strip(), description, toJson(rule), existing.createdBy(),
                existing.createdAt(), clock.instant()));
        audit.record("segment.update", "segment", id, Map.of("name", saved.name()));
        return view(saved);
    }

    /** A campaign that uses a segment, by id and name. */
    public record User(long id, String name) {
    }

    /** The campaigns that use the segment: while any does, it cannot be deleted. */
    public List<User> usedBy(long id) {
        return jdbc.query("SELECT id, name FROM campaign WHERE segment_id = ? ORDER BY name", rs -> new User(rs.getLong(1),
                rs.getString(2)), id);
    }

    @Transactional
    public void delete(long id) {
        repository.findById(id).orElseThrow(() -> ProblemException.notFound("Segment", id));
        long campaigns = jdbc.queryLong("SELECT COUNT(*) FROM campaign WHERE segment_id = ?", id);
        if (campaigns > 0) {
            throw ProblemException.conflict("The segment is used by " + campaigns + " campaign(s); it cannot be deleted");
        }
        repository.deleteById(id);
        audit.record("segment.delete", "segment", id, Map.of());
    }

    private void requireUniqueName(String name, Long self) {
        repository.findByName(name.strip()).filter(s -> !s.id().equals(self)).ifPresent(s -> {
            throw ProblemException.conflict("A segment named '" + name.strip() + "' already exists");
        });
    }

    private SegmentView view(Segment s) {
        return new SegmentView(s.id(), s.name(), s.description(), parse(s.ruleJson()), s.createdBy(), s.createdAt(), s.updatedAt());
    }

    public SegmentRule parse(String ruleJson) {
        try {
            return json.readValue(ruleJson, Argument.of(SegmentRule.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rule typed as JSON on the segment page; null (and an error on {@code json}) when it is not one. */
    SegmentRule readRule(String ruleJson, List<FieldError> errors) {
        try {
            return json.readValue(ruleJson, Argument.of(SegmentRule.class));
        } catch (IOException | RuntimeException e) {
            errors.add(FieldError.of("json", "not a rule in JSON, such as {\"field\":\"consent.email\",\"op\":\"eq\",\"value\":\"OPTED_IN\"}"));
            return null;
        }
    }

    String toJson(SegmentRule rule) {
        try {
            return json.writeValueAsString(rule);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
