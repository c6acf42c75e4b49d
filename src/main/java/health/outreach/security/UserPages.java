package health.outreach.security;

import health.outreach.common.FieldError;
import health.outreach.common.ProblemException;
import health.outreach.web.AdminPages;
import health.outreach.web.Forms;
import health.outreach.web.Validation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Administrators add people, change their role, disable them or set a new password, and see and
 * lift the sign-in locks in force.
 */
@Controller("/admin/users")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class UserPages {

    private final UserAccounts accounts;
    private final AdminPages pages;
    private final Validation validation;
    private final LoginThrottle throttle;

    UserPages(UserAccounts accounts, AdminPages pages, Validation validation, LoginThrottle throttle) {
        this.accounts = accounts;
        this.pages = pages;
        this.validation = validation;
        this.throttle = throttle;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<?> list(HttpRequest<?> request) {
        return page(request, HttpStatus.OK, Map.of("username", "", "displayName", "", "role", "COORDINATOR"), List.of());
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> create(HttpRequest<?> request, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 20);
        Map<String, String> typed = Map.of("username", text(form, "username"), "displayName", text(form, "displayName"),
                "role", text(form, "role"));
        Role role = role(typed.get("role"));
        UserController.NewUser user = new UserController.NewUser(typed.get("username"),
                typed.get("displayName").isEmpty() ? null : typed.get("displayName"), role, Forms.first(form, "password"));
        List<FieldError> errors = new ArrayList<>(validation.check(user));
        if (errors.isEmpty()) {
            try {
                accounts.create(user.username(), user.displayName(), user.role(), user.password());
                return HttpResponse.seeOther(URI.create("/admin/users?notice=user"));
            } catch (ProblemException e) {
                errors.add(FieldError.of("username", e.getMessage()));
            }
        }
        return page(request, HttpStatus.UNPROCESSABLE_ENTITY, typed, errors);
    }

    /** Role, enabled and (optionally) a new password for one user; the last administrator stays one. */
    @Post(value = "/{id}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> update(HttpRequest<?> request, long id, @Nullable @Body String body) {
        Map<String, List<String>> form = Forms.parse(body, 20);
        AppUser user = accounts.get(id);
        String password = Forms.first(form, "password");
        UserController.UserChange change = new UserController.UserChange(user.displayName(), role(text(form, "role")),
                "yes".equals(Forms.first(form, "enabled")), password == null || password.isEmpty() ? null : password);
        List<FieldError> errors = validation.check(change);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        accounts.update(id, change.displayName(), change.role(), change.enabled(), change.password());
        return HttpResponse.seeOther(URI.create("/admin/users?notice=user"));
    }

    /** Lifts a sign-in lock (audited); one that already ran out is simply gone from the list. */
    @Post(value = "/login-locks/{id}/lift", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<?> lift(HttpRequest<?> request, long id) {
        throttle.lift(id);
        return HttpResponse.seeOther(URI.create("/admin/users?notice=unlocked"));
    }

    private HttpResponse<?> page(HttpRequest<?> request, HttpStatus status, Map<String, String> typed, List<FieldError> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("users", accounts.list());
        model.put("locks", throttle.locks());
        model.put("roles", List.of(Role.values()));
        model.put("v", typed);
        model.put("errors", errors);
        return pages.page(request, status, "users/list", model);
    }

    private static Role role(String name) {
        try {
            return Role.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null; // bean validation reports it
        }
    }

    private static String text(Map<String, List<String>> form, String name) {
        String value = Forms.first(form, name);
        return value == null ? "" : value.strip();
    }
}
