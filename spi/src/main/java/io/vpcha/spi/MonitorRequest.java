package io.vpcha.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a monitor was asked for. A probe (no interval) asks "is it running here?" on a node that may
 * never have run the resource, and must not report an error for a resource that simply is not
 * there; a recurring monitor checks a resource the cluster believes active here.
 *
 * @param interval the monitor's interval; zero for a probe
 * @param depth OCF_CHECK_LEVEL: 0 for the normal check, higher for deeper ones
 */
public record MonitorRequest(Duration interval, int depth) {
    /**
     * The canonical constructor.
     *
     * @deprecated the components of this record may grow in a later SPI; use {@link #probe()},
     *     {@link #recurring(Duration)} or {@link #recurring(Duration, int)}
     */
    @Deprecated
    public MonitorRequest {
        requireNonNull(interval, "interval is null");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval is negative: " + interval);
        }
        if (depth < 0) {
            throw new IllegalArgumentException("depth is negative: " + depth);
        }
    }

    public static MonitorRequest probe() {
        return new MonitorRequest(Duration.ZERO, 0);
    }

    public static MonitorRequest recurring(Duration interval) {
        return recurring(interval, 0);
    }

    /**
     * A recurring monitor at OCF_CHECK_LEVEL {@code depth}.
     *
     * @since 1.1
     */
    public static MonitorRequest recurring(Duration interval, int depth) {
        if (interval.isZero()) {
            throw new IllegalArgumentException("a recurring monitor has an interval");
        }
        return new MonitorRequest(interval, depth);
    }

    public boolean isProbe() {
        return interval.isZero();
    }
}
