package io.vpcha.simulator.state;

import io.vpcha.simulator.events.EventLog;
import io.vpcha.simulator.time.SimulatorClock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * All simulated cloud state behind one lock. Every HTTP handler, the oracle and test code go through
 * {@link #read} or {@link #write}; a whole request is handled inside one critical section, so concurrent
 * clients can never lose an update. Delayed writes (the "PATCH takes effect later" fault) are queued and
 * applied by whichever access first comes after their due time.
 */
public final class SimulatorState {
    private final Object lock = new Object();
    private final List<Pending> pending = new ArrayList<>();
    private final SimulatorClock clock;
    private final EventLog events;
    private volatile Runnable onScheduled = () -> {};

    // Fields below are guarded by lock.
    private String region = "us-south";
    private String accountId = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private String resourceGroupId = "fee82deba12e4c0fb69c3b09d1f12345";
    private String resourceGroupName = "default";
    private final List<String> zones = new ArrayList<>();
    private Ids ids = new Ids("vpc-ha");
    private long sequence;

    public final Map<String, Vpc> vpcs = new LinkedHashMap<>();
    public final Map<String, Subnet> subnets = new LinkedHashMap<>();
    public final Map<String, ReservedIp> reservedIps = new LinkedHashMap<>();
    public final Map<String, RoutingTable> routingTables = new LinkedHashMap<>();
    public final Map<String, FloatingIp> floatingIps = new LinkedHashMap<>();
    public final Map<String, Instance> instances = new LinkedHashMap<>();
    public final Map<String, NetworkInterface> networkInterfaces = new LinkedHashMap<>();
    public final Map<String, NetworkAttachment> networkAttachments = new LinkedHashMap<>();
    public final Map<String, VirtualNetworkInterface> virtualNetworkInterfaces = new LinkedHashMap<>();
    public final Map<String, LoadBalancer> loadBalancers = new LinkedHashMap<>();
    public final Map<String, Principal> principals = new LinkedHashMap<>();
    public final Map<String, PublicAddressRange> publicAddressRanges = new LinkedHashMap<>();

    /** State on the system clock. */
    public SimulatorState() {
        this(SimulatorClock.system());
    }

    /** State whose delays and timestamps follow {@code clock}. */
    public SimulatorState(SimulatorClock clock) {
        this.clock = clock;
        this.events = new EventLog(10_000, clock::instant);
    }

    /** The clock every simulated delay is measured on. */
    public SimulatorClock clock() {
        return clock;
    }

    /** What happened (instance status changes and the like), for harnesses that act on it. */
    public EventLog events() {
        return events;
    }

    /** Called (outside any lock order constraint) whenever a change is scheduled, to wake the ticker. */
    public void onScheduled(Runnable listener) {
        this.onScheduled = listener;
    }

    /** Runs {@code action} with exclusive access and returns its result. */
    public <T> T read(Function<SimulatorState, T> action) {
        synchronized (lock) {
            applyDuePending();
            return action.apply(this);
        }
    }

    /** Runs {@code action} with exclusive access; use for every change. */
    public <T> T write(Function<SimulatorState, T> action) {
        synchronized (lock) {
            applyDuePending();
            return action.apply(this);
        }
    }

    public void update(Consumer<SimulatorState> action) {
        write(state -> {
            action.accept(state);
            return null;
        });
    }

    /**
     * Queues a change that becomes visible only after {@code delayNanos} on the simulator's clock; call
     * inside {@link #write}. It is applied by the first access after its due time, or by the ticker at
     * that time, whichever comes first.
     */
    public void applyLater(long delayNanos, Runnable change) {
        pending.add(new Pending(clock.nanoTime() + delayNanos, change));
        pending.sort(Comparator.comparingLong(Pending::dueNanos));
        onScheduled.run();
    }

    /** Applies every queued change that has come due. */
    public void applyDue() {
        synchronized (lock) {
            applyDuePending();
        }
    }

    /** Nanoseconds until the next queued change is due (0 when overdue), or -1 when none is queued. */
    public long nanosUntilNextDue() {
        synchronized (lock) {
            if (pending.isEmpty()) {
                return -1;
            }
            return Math.max(0, pending.get(0).dueNanos() - clock.nanoTime());
        }
    }

    /** Number of queued changes not yet visible. */
    public int pendingChanges() {
        synchronized (lock) {
            applyDuePending();
            return pending.size();
        }
    }

    /** Number of queued changes; call inside {@link #read} or {@link #write}. */
    public int pendingChangeCountUnlocked() {
        return pending.size();
    }

    private void applyDuePending() {
        long now = clock.nanoTime();
        // A change may queue another (an instance that stops, then reports stopped); loop until none is due.
        while (!pending.isEmpty() && pending.get(0).dueNanos() - now <= 0) {
            Pending next = pending.remove(0);
            next.change().run();
        }
    }

    /** Empties the state (used before seeding a scenario). */
    public void clear(String idSeed) {
        synchronized (lock) {
            pending.clear();
            vpcs.clear();
            subnets.clear();
            reservedIps.clear();
            routingTables.clear();
            floatingIps.clear();
            instances.clear();
            networkInterfaces.clear();
            networkAttachments.clear();
            virtualNetworkInterfaces.clear();
            loadBalancers.clear();
            principals.clear();
            publicAddressRanges.clear();
            zones.clear();
            sequence = 0;
            ids = new Ids(idSeed);
        }
    }

    // ---- identity and naming helpers (call inside read/write) ----

    public Ids ids() {
        return ids;
    }

    /** Gives a new resource its creation time and sequence number. */
    public <R extends Resource> R stamp(R resource) {
        resource.sequence = ++sequence;
        if (resource.createdAt == null) {
            resource.createdAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        }
        return resource;
    }

    public String region() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String accountId() {
        return accountId;
    }

    public void setAccountId(String accountId) {
        this.accountId = accountId;
    }

    public String resourceGroupId() {
        return resourceGroupId;
    }

    public String resourceGroupName() {
        return resourceGroupName;
    }

    public void setResourceGroup(String id, String name) {
        this.resourceGroupId = id;
        this.resourceGroupName = name;
    }

    public List<String> zones() {
        return zones;
    }

    public int zoneIndex(String zone) {
        int index = zones.indexOf(zone);
        return Math.max(index, 0);
    }

    public String crn(String location, String type, String id) {
        return "crn:v1:bluemix:public:is:" + location + ":a/" + accountId + "::" + type + ":" + id;
    }

    // ---- lookups (call inside read/write) ----

    public Optional<Subnet> subnetContaining(String vpcId, String address) {
        int value = Ipv4.parse(address);
        return subnets.values().stream()
                .filter(subnet -> subnet.vpcId.equals(vpcId) && subnet.cidr.contains(value))
                .findFirst();
    }

    /** The reserved IP holding {@code address} in the VPC, if any. */
    public Optional<ReservedIp> reservedIpByAddress(String vpcId, String address) {
        return reservedIps.values().stream()
                .filter(ip -> ip.address.equals(address))
                .filter(ip -> {
                    Subnet subnet = subnets.get(ip.subnetId);
                    return subnet != null && (vpcId == null || subnet.vpcId.equals(vpcId));
                })
                .findFirst();
    }

    /** The instance owning the interface (NIC or VNI) with this id, if any. */
    public Optional<Instance> instanceOfInterface(String interfaceId) {
        NetworkInterface nic = networkInterfaces.get(interfaceId);
        if (nic != null) {
            return Optional.ofNullable(instances.get(nic.instanceId));
        }
        VirtualNetworkInterface vni = virtualNetworkInterfaces.get(interfaceId);
        if (vni != null && vni.attachmentId != null) {
            NetworkAttachment attachment = networkAttachments.get(vni.attachmentId);
            if (attachment != null) {
                return Optional.ofNullable(instances.get(attachment.instanceId));
            }
        }
        return Optional.empty();
    }

    /** Whether the interface (NIC or VNI) with this id allows IP spoofing. */
    public boolean interfaceAllowsIpSpoofing(String interfaceId) {
        NetworkInterface nic = networkInterfaces.get(interfaceId);
        if (nic != null) {
            return nic.allowIpSpoofing;
        }
        VirtualNetworkInterface vni = virtualNetworkInterfaces.get(interfaceId);
        return vni != null && vni.allowIpSpoofing;
    }

    /** All instance interface ids (NICs and attached VNIs) of an instance. */
    public List<String> interfaceIdsOf(Instance instance) {
        List<String> result = new ArrayList<>(instance.networkInterfaceIds);
        for (String attachmentId : instance.networkAttachmentIds) {
            NetworkAttachment attachment = networkAttachments.get(attachmentId);
            if (attachment != null) {
                result.add(attachment.virtualNetworkInterfaceId);
            }
        }
        return result;
    }

    /** All addresses of an instance (primary and secondary, NICs and VNIs). */
    public List<String> addressesOf(Instance instance) {
        List<String> result = new ArrayList<>();
        for (String interfaceId : interfaceIdsOf(instance)) {
            reservedIps.values().stream()
                    .filter(ip -> interfaceId.equals(ip.targetId))
                    .sorted(Comparator.comparingLong(ip -> ip.sequence))
                    .forEach(ip -> result.add(ip.address));
        }
        return result;
    }

    /** The instance (in any VPC) with an interface address equal to {@code address}. */
    public Optional<Instance> instanceByAddress(String address) {
        return reservedIps.values().stream()
                .filter(ip -> ip.address.equals(address) && ip.targetId != null)
                .map(ip -> instanceOfInterface(ip.targetId))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /** Finds a resource by id first, then by name. */
    public static <R extends Resource> Optional<R> byIdOrName(Map<String, R> map, String key) {
        if (key == null) {
            return Optional.empty();
        }
        R byId = map.get(key);
        if (byId != null) {
            return Optional.of(byId);
        }
        return map.values().stream().filter(r -> key.equals(r.name)).findFirst();
    }

    public Optional<FloatingIp> floatingIpOfInterface(String interfaceId) {
        return floatingIps.values().stream()
                .filter(fip -> interfaceId.equals(fip.targetId))
                .findFirst();
    }

    /** Zone of an interface (NIC or VNI): the zone of its subnet. */
    public Optional<String> zoneOfInterface(String interfaceId) {
        String subnetId = null;
        NetworkInterface nic = networkInterfaces.get(interfaceId);
        if (nic != null) {
            subnetId = nic.subnetId;
        }
        VirtualNetworkInterface vni = virtualNetworkInterfaces.get(interfaceId);
        if (vni != null) {
            subnetId = vni.subnetId;
        }
        Subnet subnet = subnetId == null ? null : subnets.get(subnetId);
        return Optional.ofNullable(subnet).map(s -> s.zone);
    }

    private record Pending(long dueNanos, Runnable change) {}
}
