package io.vpcha.simulator.state;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Generates identifiers with the shape of real VPC ones: {@code r006-<uuid>} for regional resources,
 * {@code 0717-<uuid>} for zonal ones (the prefix encodes the zone) and {@code 0717_<uuid>} for instances.
 * The identifiers are derived from a seed and a counter, so one scenario always yields the same ids.
 */
public final class Ids {
    private final String seed;
    private long counter;

    public Ids(String seed) {
        this.seed = seed;
    }

    public synchronized String regional(String kind) {
        return "r006-" + next(kind);
    }

    public synchronized String zonal(String kind, int zoneIndex) {
        return zonePrefix(zoneIndex) + "-" + next(kind);
    }

    public synchronized String instance(int zoneIndex) {
        return zonePrefix(zoneIndex) + "_" + next("instance");
    }

    /**
     * A zonal id derived from {@code key} alone, not from the counter: objects the provider creates on
     * the side (a subnet's reserved addresses) get stable ids without shifting the ids of everything else.
     */
    public String derived(String kind, int zoneIndex, String key) {
        return zonePrefix(zoneIndex) + "-"
                + UUID.nameUUIDFromBytes((seed + "/" + kind + "/" + key).getBytes(StandardCharsets.UTF_8));
    }

    public synchronized String uuid(String kind) {
        return next(kind);
    }

    /** us-south-1 is 0717, us-south-2 is 0727, us-south-3 is 0737. */
    private static String zonePrefix(int zoneIndex) {
        return "07" + (zoneIndex + 1) + "7";
    }

    private String next(String kind) {
        counter++;
        return UUID.nameUUIDFromBytes((seed + "/" + kind + "/" + counter).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
