/**
 * What strategies share, bundled into each plugin jar (as Trino's plugin toolkit is), built against the
 * SPI alone:
 *
 * <ul>
 *   <li>{@link io.vpcha.toolkit.state.StateStore}: the "started here" marker, the last verification and
 *       cached ids in the resource's state directory, written atomically, never through a link (a
 *       monitor's verification kept best effort);
 *   <li>{@link io.vpcha.toolkit.time.TimeBox}, {@link io.vpcha.toolkit.time.Settle} and {@link
 *       io.vpcha.toolkit.time.MonitorGrace}: cloud calls that end before the action must, waiting for
 *       a change to settle, and what a monitor says when the cloud cannot be asked (and the {@code
 *       monitor_grace} parameter that sets how long it rides that out);
 *   <li>{@link io.vpcha.toolkit.net.LocalAddress}: an IPv4 address on an interface of this node, found
 *       by name or by MAC;
 *   <li>{@link io.vpcha.toolkit.route.RouteMover}: routes pointed at a next hop, ingress routes moved
 *       between zones without a moment without a route;
 *   <li>{@link io.vpcha.toolkit.json.Json}: reading the host's JSON trees and writing request bodies;
 *   <li>{@link io.vpcha.toolkit.node.ThisInstance}: this node's instance as the metadata service shows
 *       it, read once, a failure naming the parameter to set instead;
 *   <li>{@link io.vpcha.toolkit.readiness.TargetReadiness}: what a readiness check makes of a lookup of
 *       the takeover's target that found nothing (the problem {@code target}), decided once;
 *   <li>{@link io.vpcha.toolkit.stop.StopPolicy}: the {@code stop_policy} parameter and its values (keep
 *       or unbind an address the cloud binds to the active node);
 *   <li>{@link io.vpcha.toolkit.bench.ComparisonSwitch}: the strategies' switches back to an older path,
 *       there so that bench/ can measure old against new.
 * </ul>
 *
 * The host never loads these classes: each plugin carries the version it was built with, so the
 * toolkit can change between releases without touching the SPI or an installed plugin.
 */
package io.vpcha.toolkit;
