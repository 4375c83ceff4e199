package dev.intake.contracts;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data of {@link EventType#ITEM_FAILED}: one attempt of one item of a batch failed for good.
 * Published once per item and attempt, keyed by the batch key, before the batch's
 * {@link BatchCompleted}. A later retry round may run the item again (a higher {@code attempt}).
 *
 * @param errorCode a stable {@link ItemError} name
 * @param errorMessage readable, safe to show; may change wording
 * @param processedAt when the worker gave up; also the event's {@code time}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemFailed(String tenant, String batchId, String itemId, int index, String name, int attempt,
		String errorCode, String errorMessage, String archive, String entry, Instant processedAt) {
}
