package health.outreach.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import health.outreach.common.SecretStore;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Signs and verifies login tokens with HS256, keyed by {@code outreach.security.jwt-secret} or by a
 * key generated once and shared through the database. Named "generator" because that is the
 * signature Micronaut's token generator asks for; being the only SignatureConfiguration, it is also
 * what every incoming token must verify against (an unsigned or foreign token never validates).
 * A class of our own rather than a factory method: a factory returning SecretSignature would
 * inherit its {@code @EachBean} and silently produce no bean, leaving tokens unsigned.
 */
@Singleton
@Named("generator")
class TokenSignature implements SignatureGeneratorConfiguration {

    private final SecretSignature delegate;

    TokenSignature(SecuritySettings settings, SecretStore secrets) {
        String secret = settings.jwtSecret();
        if (secret == null || secret.isBlank()) {
            secret = secrets.getOrCreate("jwt-signing-key");
        } else if (secret.length() < 32) {
            throw new ConfigurationException("outreach.security.jwt-secret must be at least 32 characters");
        }
        SecretSignatureConfiguration configuration = new SecretSignatureConfiguration("generator");
        configuration.setSecret(secret);
        configuration.setJwsAlgorithm(JWSAlgorithm.HS256);
        this.delegate = new SecretSignature(configuration);
    }

    @Override
    public SignedJWT sign(JWTClaimsSet claims) throws JOSEException {
        return delegate.sign(claims);
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return delegate.supportedAlgorithmsMessage();
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return delegate.supports(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        return delegate.verify(jwt);
    }
}
