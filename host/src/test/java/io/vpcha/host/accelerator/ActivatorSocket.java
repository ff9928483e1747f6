package io.vpcha.host.accelerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A listening Unix socket bound as systemd's socket unit binds it, for {@code vpc-ha agent-serve
 * --inherited}: the test starts the service on it, in this JVM, and asks it as a launcher would.
 */
final class ActivatorSocket implements AutoCloseable {
    /** What a launcher of resource vip1, strategy state-file, sends: enough for the service to answer. */
    static final Map<String, String> VIP1 =
            Map.of("OCF_RESOURCE_INSTANCE", "vip1", "OCF_RESKEY_strategy", "state-file");

    final Path socket;
    private final ServerSocketChannel listener;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    ActivatorSocket(Path socket) throws IOException {
        this.socket = socket;
        this.listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
    }

    /** {@code vpc-ha agent-serve ARGUMENTS} on a thread, given this listener, serving {@code plugins}. */
    CompletableFuture<Integer> serve(Path plugins, String... arguments) {
        return CompletableFuture.supplyAsync(() -> AcceleratorMain.run(
                arguments,
                Map.of("VPC_HA_PLUGINS", plugins.toString()),
                System.out,
                new PrintStream(log, true, StandardCharsets.UTF_8),
                () -> listener));
    }

    /** Asks for {@code action} of vip1 as this JVM's launcher, and returns every line of the reply. */
    List<String> ask(String action) throws IOException {
        return AcceleratorFixture.askOn(socket, ProcessHandle.current().pid(), action, VIP1);
    }

    /** What the service said on its standard error so far. */
    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
