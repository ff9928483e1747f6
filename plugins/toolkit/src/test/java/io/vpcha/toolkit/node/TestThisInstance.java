package io.vpcha.toolkit.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vpcha.host.testing.TestClock;
import io.vpcha.spi.StrategyException;
import io.vpcha.spi.cloud.CloudErrorKind;
import io.vpcha.spi.cloud.CloudException;
import io.vpcha.spi.cloud.Instance;
import io.vpcha.spi.cloud.InstanceMetadata;
import io.vpcha.spi.cloud.NetworkInterface;
import io.vpcha.spi.cloud.VirtualNetworkInterface;
import io.vpcha.toolkit.time.TimeBox;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestThisInstance {
    private static final Instance NODE_A = new Instance(
            "0717-a",
            "crn:v1:bluemix:public:is:us-south-1:a/x::instance:0717-a",
            "node-a",
            "running",
            "us-south-1",
            "r006-vpc",
            Optional.empty(),
            List.of(),
            Optional.empty(),
            List.of());

    private final TestClock clock = new TestClock();
    private final TimeBox timeBox = new TimeBox(clock.instant().plus(Duration.ofSeconds(10)), clock);

    @Test
    void asksTheMetadataServiceOnce() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        ThisInstance thisInstance = new ThisInstance(
                metadata(() -> {
                    asked.incrementAndGet();
                    return NODE_A;
                }),
                timeBox);

        assertThat(thisInstance.read("its zone")).isEqualTo(NODE_A);
        assertThat(thisInstance.read("its VPC")).isEqualTo(NODE_A);
        assertThat(asked).hasValue(1);
    }

    @Test
    void aFailureKeepsItsKindAndSaysWhatNeededTheInstance() {
        ThisInstance thisInstance = new ThisInstance(
                metadata(() -> {
                    throw new CloudException(CloudErrorKind.TRANSIENT, 503, "busy", "HTTP 503", "trace-1", null);
                }),
                timeBox);

        CloudException failure = catchThrowableOfType(
                CloudException.class,
                () -> thisInstance.read(
                        "cannot tell this node's pool member (enable the metadata service, or set " + "node_members)"));

        assertThat(failure.reason())
                .isEqualTo("cannot tell this node's pool member (enable the metadata service, or set node_members): "
                        + "HTTP 503");
        assertThat(failure.cloudErrorKind()).isEqualTo(CloudErrorKind.TRANSIENT);
        assertThat(failure.status()).isEqualTo(503);
        assertThat(failure.code()).contains("busy");
        assertThat(failure.trace()).contains("trace-1");
    }

    private interface Read {
        Instance instance() throws StrategyException;
    }

    private static InstanceMetadata metadata(Read read) {
        return new InstanceMetadata() {
            @Override
            public Instance instance() throws StrategyException {
                return read.instance();
            }

            @Override
            public List<NetworkInterface> networkInterfaces() {
                throw new UnsupportedOperationException("not asked");
            }

            @Override
            public List<VirtualNetworkInterface> virtualNetworkInterfaces() {
                throw new UnsupportedOperationException("not asked");
            }
        };
    }
}
