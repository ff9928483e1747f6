package io.vpcha.host.cloud.http;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * The transport of an action, built on its first request: an action that never calls the cloud
 * loads no HTTP or TLS class at all.
 */
public final class LazyTransport implements HttpTransport {
    private final Optional<Path> caFile;
    private HttpTransport delegate;

    public LazyTransport(Optional<Path> caFile) {
        this.caFile = caFile;
    }

    @Override
    public HttpResult execute(HttpCall call, Duration timeout) throws IOException {
        return delegate().execute(call, timeout);
    }

    private synchronized HttpTransport delegate() throws TlsSetupException {
        if (delegate == null) {
            Optional<SSLContext> context;
            try {
                context = TlsTrust.sslContext(caFile);
            } catch (GeneralSecurityException | IOException e) {
                throw new TlsSetupException(
                        "cannot use ca_file " + caFile.map(Path::toString).orElse("") + ": " + e.getMessage(), e);
            }
            delegate = new MethodRoutingTransport(
                    new UrlConnectionTransport(context), new JdkHttpClientTransport(context));
        }
        return delegate;
    }
}
