package health.outreach.security;

import com.nimbusds.jose.JWSAlgorithm;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The HS256 key that signs login tokens: configured, or generated once and shared through the database. */
@Factory
class JwtSecretFactory {

    @Singleton
    @Named("generator")
    SecretSignatureConfiguration generatorSignature(SecuritySettings settings, SecretStore secrets) {
        String secret = settings.jwtSecret();
        if (secret == null || secret.isBlank()) {
            secret = secrets.getOrCreate("jwt-signing-key");
        } else if (secret.length() < 32) {
            throw new ConfigurationException("outreach.security.jwt-secret must be at least 32 characters");
        }
        SecretSignatureConfiguration configuration = new SecretSignatureConfiguration("generator");
        configuration.setSecret(secret);
        configuration.setJwsAlgorithm(JWSAlgorithm.HS256);
        return configuration;
    }
}
