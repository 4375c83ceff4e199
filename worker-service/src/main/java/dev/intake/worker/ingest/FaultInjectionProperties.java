package dev.intake.worker.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Test hooks that make a worker fail on purpose ({@code intake.worker.fault-injection.*}), for
 * the fault tests in {@code faults/}. All off by default; never set them in production.
 *
 * @param failDecodeOf the file name of an item whose decode throws an unexpected exception, as a
 * decoder bug would (the item then takes the dead-letter path); empty for none
 */
@ConfigurationProperties("intake.worker.fault-injection")
record FaultInjectionProperties(String failDecodeOf) {
}
