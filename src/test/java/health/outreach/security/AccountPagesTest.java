package health.outreach.security;

import health.outreach.common.Jdbc;
import health.outreach.program.ProgramService;
import health.outreach.support.Api;
import health.outreach.support.DeliveryFixture;
import health.outreach.support.PageSession;
import health.outreach.support.TestUsers;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each member of staff reads times in their own zone, or the program's until they choose one. */
@MicronautTest(transactional = false)
class AccountPagesTest {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm", Locale.ENGLISH);

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestUsers users;

    @Inject
    DeliveryFixture fixture;

    @Inject
    ProgramService program;

    @Inject
    Jdbc jdbc;

    @Test
    void aManagerChoosesATimeZoneAndEveryPageShowsTimesInIt() {
        long id = fixture.create(fixture.segment("ACCOUNT1"), 0, DeliveryFixture.now(health.outreach.common.Channel.EMAIL,
                fixture.emailTemplate()));
        Instant startsAt = Instant.parse("2031-01-15T15:00:00Z");
        jdbc.update("UPDATE campaign SET starts_at = ? WHERE id = ?", startsAt, id);
        ZoneId programZone = ZoneId.of(program.current().defaultTimeZone());
        ZoneId own = programZone.getId().equals("Asia/Tokyo") ? ZoneId.of("America/Los_Angeles") : ZoneId.of("Asia/Tokyo");
        PageSession manager = users.page(client, Role.MANAGER);
        assertTrue(manager.get("/admin/account").body().contains("empty: the program's, " + programZone.getId()));
        assertEquals(303, manager.post("/admin/account", Map.of("timeZone", "")).status());
        assertTrue(manager.get("/admin/campaigns/" + id).body().contains(SHOWN.format(startsAt.atZone(programZone))),
                "the program's zone until one is chosen");

        Api.Response refused = manager.post("/admin/account", Map.of("timeZone", "Mars/Olympus"));
        assertEquals(422, refused.status());
        assertTrue(refused.body().contains("aria-describedby=\"timeZone-error\""), refused.body());

        assertEquals(303, manager.post("/admin/account", Map.of("timeZone", own.getId())).status());
        String page = manager.get("/admin/campaigns/" + id).body();
        assertTrue(page.contains(SHOWN.format(startsAt.atZone(own))), "the launch time in the chosen zone");
        assertFalse(page.contains(SHOWN.format(startsAt.atZone(programZone))), "and not in the program's");
        assertTrue(manager.get("/admin/account").body().contains("Times on every page are shown in " + own.getId()));
        PageSession coordinator = users.page(client, Role.COORDINATOR);
        assertTrue(coordinator.get("/admin/campaigns/" + id).body().contains(SHOWN.format(startsAt.atZone(programZone))),
                "one person's choice is theirs alone");
    }
}
