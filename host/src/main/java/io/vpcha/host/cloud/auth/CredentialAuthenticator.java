package io.vpcha.host.cloud.auth;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.cloud.CloudSettings.CredentialChoice;
import io.vpcha.host.cloud.http.CallExecutor;
import io.vpcha.host.cloud.metadata.MetadataClient;
import io.vpcha.spi.cloud.CloudException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Bearer tokens for the configured credential, through the shared {@link TokenCache}: an API key (from
 * its file or the parameter) exchanged at IAM, or a trusted profile's token from the metadata service.
 * The key is read on the first token asked for, not before.
 */
public final class CredentialAuthenticator implements Authenticator {
    private final CredentialChoice choice;
    private final URI iamUrl;
    private final URI metadataUrl;
    private final CallExecutor executor;
    private final MetadataClient metadata;
    private final TokenCache cache;
    private final Consumer<String> secretSink;
    private TokenSource source;

    public CredentialAuthenticator(
            CredentialChoice choice,
            URI iamUrl,
            URI metadataUrl,
            CallExecutor executor,
            MetadataClient metadata,
            TokenCache cache,
            Consumer<String> secretSink) {
        this.choice = requireNonNull(choice, "choice is null");
        this.iamUrl = requireNonNull(iamUrl, "iamUrl is null");
        this.metadataUrl = requireNonNull(metadataUrl, "metadataUrl is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.secretSink = requireNonNull(secretSink, "secretSink is null");
    }

    @Override
    public AccessToken token(Optional<AccessToken> rejected) throws CloudException {
        return cache.token(source(), rejected);
    }

    /** What the credential is, for messages: never the secret. */
    public String describe() {
        if (choice instanceof CredentialChoice.TrustedProfile profile) {
            return new Credential.TrustedProfile(profile.id(), profile.crn()).toString();
        }
        if (choice instanceof CredentialChoice.ApiKeyFile file) {
            return "API key from " + file.file();
        }
        return "API key from the api_key parameter";
    }

    private synchronized TokenSource source() throws CloudException {
        if (source == null) {
            source = create();
        }
        return source;
    }

    private TokenSource create() throws CloudException {
        if (choice instanceof CredentialChoice.TrustedProfile profile) {
            return new TokenSource() {
                @Override
                public AccessToken fetch() throws CloudException {
                    return metadata.iamToken(profile.id(), profile.crn());
                }

                @Override
                public String cacheIdentity() {
                    return "profile:" + profile.id().or(profile::crn).orElse("(default)") + "@" + metadataUrl;
                }
            };
        }
        String key;
        if (choice instanceof CredentialChoice.ApiKeyFile file) {
            key = ApiKeyFiles.read(file.file());
        } else {
            String value = ((CredentialChoice.ApiKeyValue) choice).value();
            // the ClusterLabs agents' convention: api_key=@/path names a file
            key = value.startsWith("@") ? ApiKeyFiles.read(Path.of(value.substring(1))) : value;
        }
        secretSink.accept(key);
        return new IamApiKeyTokenSource(iamUrl, key, executor);
    }
}
