package io.vpcha.host.cloud;

import io.vpcha.spi.cloud.CloudAccess;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.VpcApi;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * The cloud of a resource whose cloud parameters cannot work: every call fails at once with the
 * reason, as a configuration error. A stop with such a configuration still runs its strategy, which
 * removes what it added on this node and treats the cloud as unreachable (as a stop must be able to).
 */
public final class UnusableCloud implements CloudAccess {
    private final VpcApi vpc;
    private final InstanceMetadata metadata;

    private UnusableCloud(String reason) {
        this.vpc = refusing(VpcApi.class, reason);
        this.metadata = refusing(InstanceMetadata.class, reason);
    }

    /** Cloud access whose every call fails with {@code reason}. */
    public static CloudAccess because(String reason) {
        return new UnusableCloud(reason);
    }

    @Override
    public VpcApi vpc() {
        return vpc;
    }

    @Override
    public InstanceMetadata metadata() {
        return metadata;
    }

    private static <T> T refusing(Class<T> type, String reason) {
        InvocationHandler handler = (proxy, method, arguments) -> method.isDefault()
                // a hint (VpcApi.prepareConnections) or a shortcut to a method that refuses
                ? InvocationHandler.invokeDefault(proxy, method, arguments)
                : switch (method.getName()) {
                    case "toString" -> "unusable " + type.getSimpleName() + " (" + reason + ")";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == arguments[0];
                    default ->
                        throw new CloudException(
                                CloudErrorKind.CONFIGURATION,
                                0,
                                null,
                                "the cloud parameters cannot work: " + reason,
                                null,
                                null);
                };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
