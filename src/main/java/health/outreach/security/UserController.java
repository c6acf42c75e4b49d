package health.outreach.security;

import health.outreach.audit.AuditLog;
import health.outreach.common.ProblemException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/users}: only administrators manage who may sign in and with which role. */
@Controller("/api/v1/users")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class UserController {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final Clock clock;

    UserController(UserRepository users, PasswordHasher hasher, AuditLog audit, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    @Serdeable
    record UserView(long id, String username, @Nullable String displayName, Role role, boolean enabled, Instant createdAt) {
        static UserView of(AppUser u) {
            return new UserView(u.id(), u.username(), u.displayName(), u.role(), u.enabled(), u.createdAt());
        }
    }

    @Serdeable
    record NewUser(@NotBlank @Pattern(regexp = "[a-z0-9._-]{3,100}", message = "3 to 100 lower case letters, digits, . _ -") String username,
                   @Nullable @Size(max = 200) String displayName,
                   @NotNull Role role,
                   @NotBlank @Size(min = 12, max = 200, message = "at least 12 characters") String password) {
    }

    @Serdeable
    record UserChange(@Nullable @Size(max = 200) String displayName,
                      @NotNull Role role,
                      boolean enabled,
                      @Nullable @Size(min = 12, max = 200, message = "at least 12 characters") String password) {
    }

    @Get
    List<UserView> list() {
        return users.listOrderByUsername().stream().map(UserView::of).toList();
    }

    @Get("/{id}")
    UserView get(long id) {
        return users.findById(id).map(UserView::of).orElseThrow(() -> ProblemException.notFound("User", id));
    }

    @Post
    @Transactional
    HttpResponse<UserView> create(@Valid @Body NewUser body) {
        if (users.findByUsername(body.username()).isPresent()) {
            throw ProblemException.conflict("The username '" + body.username() + "' is taken");
        }
        Instant now = clock.instant();
        AppUser saved = users.save(new AppUser(null, body.username(), body.displayName(), hasher.hash(body.password()),
                body.role(), true, now, now));
        audit.record("user.create", "user", saved.id(), Map.of("username", saved.username(), "role", saved.role()));
        return HttpResponse.created(UserView.of(saved), URI.create("/api/v1/users/" + saved.id()));
    }

    @Put("/{id}")
    @Transactional
    UserView update(long id, @Valid @Body UserChange body) {
        AppUser user = users.findById(id).orElseThrow(() -> ProblemException.notFound("User", id));
        boolean losesAdmin = user.role() == Role.ADMIN && (body.role() != Role.ADMIN || !body.enabled());
        if (losesAdmin && users.listOrderByUsername().stream().filter(u -> u.role() == Role.ADMIN && u.enabled()).count() <= 1) {
            throw ProblemException.conflict("This is the last enabled administrator");
        }
        String hash = body.password() == null ? user.passwordHash() : hasher.hash(body.password());
        AppUser saved = users.update(new AppUser(id, user.username(), body.displayName(), hash, body.role(), body.enabled(),
                user.createdAt(), clock.instant()));
        audit.record("user.update", "user", id, Map.of("role", saved.role(), "enabled", saved.enabled(),
                "passwordChanged", body.password() != null));
        return UserView.of(saved);
    }

    @Delete("/{id}")
    @Transactional
    HttpResponse<Void> delete(long id) {
        AppUser user = users.findById(id).orElseThrow(() -> ProblemException.notFound("User", id));
        if (user.username().equals(AuditLog.currentActor())) {
            throw ProblemException.conflict("You cannot delete your own account");
        }
        if (user.role() == Role.ADMIN && users.listOrderByUsername().stream().filter(u -> u.role() == Role.ADMIN).count() <= 1) {
            throw ProblemException.conflict("This is the last administrator");
        }
        users.deleteById(id);
        audit.record("user.delete", "user", id, Map.of("username", user.username()));
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }
}
