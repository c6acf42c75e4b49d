package health.outreach.security;

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
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/** {@code /api/v1/users}: only administrators manage who may sign in and with which role. */
@Controller("/api/v1/users")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class UserController {

    private final UserAccounts accounts;

    UserController(UserAccounts accounts) {
        this.accounts = accounts;
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
        return accounts.list().stream().map(UserView::of).toList();
    }

    @Get("/{id}")
    UserView get(long id) {
        return UserView.of(accounts.get(id));
    }

    @Post
    HttpResponse<UserView> create(@Valid @Body NewUser body) {
        AppUser saved = accounts.create(body.username(), body.displayName(), body.role(), body.password());
        return HttpResponse.created(UserView.of(saved), URI.create("/api/v1/users/" + saved.id()));
    }

    @Put("/{id}")
    UserView update(long id, @Valid @Body UserChange body) {
        return UserView.of(accounts.update(id, body.displayName(), body.role(), body.enabled(), body.password()));
    }

    @Delete("/{id}")
    HttpResponse<Void> delete(long id) {
        accounts.delete(id);
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }
}
