package dev.intake.api.compat.nursery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The nursery image API's batch answers, the fields in the document's order. */
final class BatchImagesAnswers {

	private BatchImagesAnswers() {
	}

	/** {@code batch_image_upload}: {@code {"success":true,"data":{file_id, file_name, type}}}. */
	@JsonPropertyOrder({ "success", "data" })
	record Linked(boolean success, Data data) {

		@JsonPropertyOrder({ "file_id", "file_name", "type" })
		record Data(@JsonProperty("file_id") long fileId, @JsonProperty("file_name") String fileName, String type) {
		}

		static Linked of(BatchLinks.Linked linked) {
			return new Linked(true, new Data(linked.fileId(), linked.fileName(), linked.type()));
		}

	}

	/**
	 * {@code load_batch_images}: {@code {"success":true,"data":[{file_id, filename, type, upload_date}]}},
	 * {@code upload_date} when the file was first stored (ISO-8601 UTC, whole seconds), null when unknown.
	 */
	@JsonPropertyOrder({ "success", "data" })
	record Listed(boolean success, List<Image> data) {

		@JsonPropertyOrder({ "file_id", "filename", "type", "upload_date" })
		@JsonInclude(JsonInclude.Include.ALWAYS)
		record Image(@JsonProperty("file_id") long fileId, String filename, String type,
				@JsonProperty("upload_date") String uploadDate) {
		}

		static Listed of(List<BatchLinks.Linked> links) {
			return new Listed(true, links.stream()
				.map(link -> new Image(link.fileId(), link.fileName(), link.type(), date(link.uploadedAt())))
				.toList());
		}

		private static String date(Instant instant) {
			return (instant != null) ? instant.truncatedTo(ChronoUnit.SECONDS).toString() : null;
		}

	}

}
