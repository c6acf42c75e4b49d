package health.outreach.web;

import io.micronaut.http.HttpRequest;

import java.time.ZoneId;

/** The time zone a page's times are shown in for the person viewing it; implemented by a feature that knows. */
public interface ViewerZone {

    ZoneId of(HttpRequest<?> request);
}
