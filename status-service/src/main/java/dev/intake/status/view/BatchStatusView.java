package dev.intake.status.view;

import java.time.Instant;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.StoredImage;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.ItemProgress;
import dev.intake.status.progress.ItemState;

/**
 * The {@code data} of a status answer, in the bach.art API's wire format. {@code results} holds the
 * processed items only, by index. Beyond that API, a failed item carries {@code error_code} and
 * a succeeded one an {@code image} object with what was measured, and an unfinished batch may say
 * where it waits ({@link #waiting}); absent fields are omitted. An item stored under a
 * file-service key ({@link ObjectKeys#isVault}) has neither {@code image_url} nor {@code image}:
 * the public origin never serves those keys.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "batch_id", "total_count", "processed_count", "success_count", "failed_count", "status",
		"queued_ahead", "estimated_completion", "results" })
public record BatchStatusView(@JsonProperty("batch_id") String batchId, @JsonProperty("total_count") int totalCount,
		@JsonProperty("processed_count") int processedCount, @JsonProperty("success_count") int successCount,
		@JsonProperty("failed_count") int failedCount, @JsonProperty("status") String status,
		@JsonProperty("queued_ahead") Long queuedAhead,
		@JsonProperty("estimated_completion") Instant estimatedCompletion,
		@JsonProperty("results") List<Result> results) {

	static final String ITEM_SUCCEEDED = "TASK_SUCCEEDED";

	static final String ITEM_FAILED = "TASK_FAILED";

	/** The bach.art API promises {@code error_message} on every failed item. */
	static final String FALLBACK_ERROR_MESSAGE = "The image could not be processed.";

	public static BatchStatusView of(String batchId, BatchProgress progress, ImageLinkProperties links) {
		List<Result> results = progress.items()
			.stream()
			.filter(ItemProgress::terminal)
			.map(item -> Result.of(item, links))
			.toList();
		return new BatchStatusView(batchId, progress.totalCount(), progress.processedCount(), progress.successCount(),
				progress.failedCount(), progress.status().name(), null, null, results);
	}

	/**
	 * This view of an unfinished batch with where it waits: {@code queued_ahead}, the jobs
	 * published before it that no worker has taken yet, and {@code estimated_completion}, when
	 * its last item should be done at the recent rate (omitted while no rate is known).
	 */
	public BatchStatusView waiting(long queuedAhead, Instant estimatedCompletion) {
		return new BatchStatusView(batchId, totalCount, processedCount, successCount, failedCount, status, queuedAhead,
				estimatedCompletion, results);
	}

	/** One processed item. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonPropertyOrder({ "index", "image_name", "image_url", "status", "error_code", "error_message", "archive",
			"entry", "image", "processed_at" })
	record Result(@JsonProperty("index") int index, @JsonProperty("image_name") String imageName,
			@JsonProperty("image_url") String imageUrl, @JsonProperty("status") String status,
			@JsonProperty("error_code") String errorCode, @JsonProperty("error_message") String errorMessage,
			@JsonProperty("archive") String archive, @JsonProperty("entry") String entry,
			@JsonProperty("image") Image image, @JsonProperty("processed_at") Instant processedAt) {

		static Result of(ItemProgress item, ImageLinkProperties links) {
			if (item.state() == ItemState.SUCCEEDED) {
				StoredImage stored = item.image();
				// a file-service version's bytes and renditions have no URL under the public origin
				if (stored == null || stored.key() == null || ObjectKeys.isVault(stored.key())) {
					return new Result(item.index(), item.name(), null, ITEM_SUCCEEDED, null, null, item.archive(),
							item.entry(), null, item.processedAt());
				}
				return new Result(item.index(), item.name(), links.urlOf(stored.key()), ITEM_SUCCEEDED, null, null,
						item.archive(), item.entry(), Image.of(stored, links), item.processedAt());
			}
			String message = (item.errorMessage() != null) ? item.errorMessage() : FALLBACK_ERROR_MESSAGE;
			return new Result(item.index(), item.name(), null, ITEM_FAILED, item.errorCode(), message, item.archive(),
					item.entry(), null, item.processedAt());
		}

	}

	/** What was stored and measured for a succeeded item. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonPropertyOrder({ "format", "content_type", "width", "height", "size", "md5", "sha256", "frames", "duplicate",
			"renditions" })
	record Image(@JsonProperty("format") String format, @JsonProperty("content_type") String contentType,
			@JsonProperty("width") int width, @JsonProperty("height") int height, @JsonProperty("size") long size,
			@JsonProperty("md5") String md5, @JsonProperty("sha256") String sha256, @JsonProperty("frames") int frames,
			@JsonProperty("duplicate") boolean duplicate, @JsonProperty("renditions") List<RenditionLink> renditions) {

		static Image of(StoredImage stored, ImageLinkProperties links) {
			String format = (stored.format() != null) ? stored.format().extension() : null;
			String contentType = (stored.contentType() != null || stored.format() == null) ? stored.contentType()
					: stored.format().contentType();
			List<RenditionLink> renditions = stored.renditions()
				.stream()
				.map(rendition -> new RenditionLink(rendition.name(), links.urlOf(rendition.key()),
						rendition.contentType(), rendition.width(), rendition.height(), rendition.size()))
				.toList();
			return new Image(format, contentType, stored.width(), stored.height(), stored.size(), stored.md5(),
					stored.sha256(), stored.frames(), stored.duplicate(), renditions);
		}

	}

	/** A derived image stored beside the original, with the URL it is served at. */
	@JsonPropertyOrder({ "name", "url", "content_type", "width", "height", "size" })
	record RenditionLink(@JsonProperty("name") String name, @JsonProperty("url") String url,
			@JsonProperty("content_type") String contentType, @JsonProperty("width") int width,
			@JsonProperty("height") int height, @JsonProperty("size") long size) {

	}

}
