package dev.intake.worker.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Test hooks that make a worker fail on purpose ({@code intake.worker.fault-injection.*}), for
 * the fault tests in {@code faults/}. All off by default; never set them in production.
 *
 * @param failDecodeOf the file name of an item whose decode throws an unexpected exception, as a
 * decoder bug would (the item then takes the dead-letter path); empty for none
 * @param holdDecodeOf the file name of an item whose decode waits until the worker is stopped,
 * after logging that it holds it, so a test can kill the worker in the middle of that item;
 * empty for none
 * @param haltDecodeOf the file name of an item whose decode halts the worker's JVM at once
 * ({@code Runtime.halt}), as a native crash in a decoder or an OOM kill would: no shutdown hook, no
 * answer to the broker; empty for none
 */
@ConfigurationProperties("intake.worker.fault-injection")
record FaultInjectionProperties(String failDecodeOf, String holdDecodeOf, String haltDecodeOf) {
}
