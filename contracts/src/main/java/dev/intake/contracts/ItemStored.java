package dev.intake.contracts;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data of {@link EventType#ITEM_STORED}: one attempt of one item of a batch stored its file.
 * Published once per item and attempt, keyed by the batch key, before the batch's
 * {@link BatchCompleted}.
 *
 * @param itemId {@code tenant/batchId/index}
 * @param name the item's name as the client gave it
 * @param attempt 1 for the first try, one more per retry round that ran the item again
 * @param archive the ZIP archive the item came from, if any
 * @param entry its entry path in that archive, if any
 * @param processedAt when the worker stored it; also the event's {@code time}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemStored(String tenant, String batchId, String itemId, int index, String name, int attempt,
		StoredFile file, String archive, String entry, Instant processedAt) {
}
