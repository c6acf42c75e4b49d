package health.outreach.web;

import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapper;
import freemarker.template.SimpleDate;
import freemarker.template.SimpleScalar;
import freemarker.template.TemplateDateModel;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import health.outreach.common.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;

/**
 * How our pages show java.time values, so no view prints an ISO-8601 string with microseconds or a
 * {@code P3D}: instants become FreeMarker date-times (formatted by the page's zone and formats),
 * durations become words, dates a day and month in words.
 */
final class HumaneWrapper extends DefaultObjectWrapper {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    HumaneWrapper() {
        super(Configuration.VERSION_2_3_34);
    }

    @Override
    protected TemplateModel handleUnknownType(Object obj) throws TemplateModelException {
        if (obj instanceof Instant i) {
            return new SimpleDate(Date.from(i), TemplateDateModel.DATETIME);
        }
        if (obj instanceof ZonedDateTime z) {
            return new SimpleDate(Date.from(z.toInstant()), TemplateDateModel.DATETIME);
        }
        if (obj instanceof OffsetDateTime o) {
            return new SimpleDate(Date.from(o.toInstant()), TemplateDateModel.DATETIME);
        }
        if (obj instanceof Duration d) {
            return new SimpleScalar(Durations.words(d));
        }
        if (obj instanceof LocalDate d) {
            return new SimpleScalar(DAY.format(d));
        }
        return super.handleUnknownType(obj);
    }
}
