package health.outreach.contact;

import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.imports.ImportIntake;
import health.outreach.imports.ImportReport;
import health.outreach.imports.ImportSettings;
import health.outreach.security.Roles;
import health.outreach.web.AdminFormTokens;
import health.outreach.web.AdminPages;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.http.multipart.CompletedPart;
import io.micronaut.http.server.multipart.MultipartBody;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV upload of the admin UI: a browser form (multipart, so the file is a part beside the form
 * token) fed into the same {@link ImportIntake} as {@code POST /api/v1/contacts/import}. The file is
 * never held in memory (see {@code micronaut.server.multipart} in application.yml) and is streamed
 * into the intake's spool file, which caps it at {@code outreach.import.max-bytes}; the report is
 * then polled at {@code /admin/imports/{id}}.
 */
@Controller("/admin/contacts/import")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.ADMIN, Roles.COORDINATOR})
class ContactImportPages {

    private static final String FILE_PART = "file";
    /** Form tokens are 43 characters; anything longer is not one. */
    private static final int MAX_TOKEN = 100;

    private final ContactImporter importer;
    private final ImportIntake intake;
    private final ImportSettings settings;
    private final AdminPages pages;
    private final AdminFormTokens formTokens;

    ContactImportPages(ContactImporter importer, ImportIntake intake, ImportSettings settings, AdminPages pages,
                        AdminFormTokens formTokens) {
        this.importer = importer;
        this.intake = intake;
        this.settings = settings;
        this.pages = pages;
        this.formTokens = formTokens;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> form(HttpRequest<?> request) {
        return form(request, HttpStatus.OK, List.of());
    }

    /**
     * Reads the parts as they complete: the form token is checked before the file is imported, and a
     * refused upload is discarded unread. The whole body is bound as parts (not the file as a
     * StreamingFileUpload, which Micronaut casts blindly: a text field named "file" was a 500); a file
     * part past the multipart threshold waits on disk, not in memory, and is then streamed into the
     * intake's spool file.
     */
    @Post(consumes = MediaType.MULTIPART_FORM_DATA, produces = MediaType.TEXT_HTML)
    HttpResponse<?> upload(HttpRequest<?> request, @Body MultipartBody body) {
        String token = null;
        CompletedFileUpload file = null;
        try {
            for (CompletedPart part : Flux.from(body).toIterable(1)) {
                if (part instanceof CompletedFileUpload upload) {
                    if (file == null && FILE_PART.equals(upload.getName())) {
                        file = upload;
                    } else {
                        upload.discard();
                    }
                } else if (token == null && AdminPages.CSRF_FIELD.equals(part.getName())) {
                    try (InputStream in = part.getInputStream()) {
                        token = new String(in.readNBytes(MAX_TOKEN), StandardCharsets.US_ASCII);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            discard(file);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        if (!formTokens.accepts(request, token)) { // multipart: the CSRF filter leaves this form to its page
            discard(file);
            return pages.refusedForm(request, "imported");
        }
        if (file == null || file.getFilename() == null || file.getFilename().isBlank()) {
            discard(file);
            return form(request, HttpStatus.BAD_REQUEST, List.of(FieldError.of(FILE_PART, "choose a CSV file to upload")));
        }
        return start(request, file);
    }

    /** Reading the part's stream hands its data over (it is released once read): no discard after it. */
    private HttpResponse<?> start(HttpRequest<?> request, CompletedFileUpload file) {
        try (InputStream in = file.getInputStream()) {
            HttpResponse<ImportReport> accepted = intake.accept(in, importer, "contacts.import", plan -> Map.of("rows", plan.rows()));
            return HttpResponse.seeOther(URI.create("/admin/imports/" + accepted.getBody().orElseThrow().id()));
        } catch (ProblemException e) {
            // A file that cannot be imported at all (too large, not UTF-8, a bad header) writes nothing.
            if (e.status() != HttpStatus.BAD_REQUEST) {
                throw e;
            }
            List<FieldError> errors = e.errors().isEmpty() ? List.of(FieldError.of(FILE_PART, e.getMessage())) : e.errors();
            return form(request, HttpStatus.BAD_REQUEST, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void discard(CompletedFileUpload file) {
        if (file != null) {
            file.discard();
        }
    }

    private HttpResponse<?> form(HttpRequest<?> request, HttpStatus status, List<FieldError> errors) {
        Map<String, Object> m = new HashMap<>();
        m.put("columns", ContactCsvHeader.COLUMNS);
        m.put("maxBytes", settings.maxBytes());
        m.put("errors", errors);
        return pages.page(request, status, "contacts/import", m);
    }
}
