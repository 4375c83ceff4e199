package dev.intake.worker.ingest;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.LogSafe;
import dev.intake.contracts.ObjectKeys;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * Deletes the uploads the content index discarded ({@code intake.discards}: objects of candidates
 * that lost to an earlier object of the same content), through {@link StagedDeletes}, so deletes
 * asked at once share a request. Only upload objects of Intake's bucket are ever deleted here. A
 * delete storage refuses waits in {@link StagedDeletes} for a retry; one lost with a crash is left
 * to the sweeper, which removes uploads the index does not keep.
 */
class DiscardListener {

	private static final Log logger = LogFactory.getLog(DiscardListener.class);

	private final StagedDeletes deletes;

	private final String bucket;

	DiscardListener(StagedDeletes deletes, String bucket) {
		this.deletes = deletes;
		this.bucket = bucket;
	}

	@KafkaListener(id = "upload-discards", groupId = "intake-worker-discards",
			topics = "#{T(dev.intake.contracts.Topics).DISCARDS.name()}",
			containerFactory = "discardListenerContainerFactory")
	void onDiscard(BlobRef discarded) {
		if (discarded == null || !bucket.equals(discarded.bucket())
				|| ObjectKeys.uploadTenant(discarded.key()) == null || discarded.key().contains("..")) {
			logger.warn("Ignoring a discard of something other than an upload: "
					+ ((discarded == null) ? null : LogSafe.text(discarded.key())));
			return;
		}
		deletes.delete(discarded);
	}

}
