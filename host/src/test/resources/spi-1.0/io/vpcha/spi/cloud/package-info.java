/**
 * What a strategy sees of the cloud: typed, immutable views of the VPC resources failover works on,
 * the typed operations of {@link io.vpcha.spi.cloud.VpcApi}, this instance's identity from the
 * metadata service, and a raw request for anything else. Authentication, endpoints, retries within
 * the action's deadline, pagination and secret hygiene are the host's business.
 */
package io.vpcha.spi.cloud;
