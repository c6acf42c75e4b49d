package health.outreach.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.List;

/** @param trustedProxies CIDR ranges of reverse proxies whose X-Forwarded-For is believed ({@code outreach.security.trusted-proxies}) */
@ConfigurationProperties("outreach.security")
public record ProxySettings(@Bindable(defaultValue = "") List<String> trustedProxies) {
}
