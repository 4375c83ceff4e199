package dev.intake.api.compat.fileservice;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The Capillary file service's answers, fields in the order it shows them: {@code fileSize} a
 * string, {@code last_modified} as {@code yyyy-MM-dd HH:mm:ss} in UTC, {@code s3_token} the object
 * key and {@code s3_url} {@code s3://bucket/key} of the object holding the version's bytes.
 * Intake's extensions (fetch with {@code metadata=true}, list) add {@code image} to an image
 * version's {@code file}; the upload answer is exactly the service's own.
 */
final class FileAnswer {

	static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private FileAnswer() {
	}

	/** One version; {@code image} only where an extension answers it for an image version. */
	@JsonPropertyOrder({ "name", "namespace", "version", "acl", "fileSize", "file_handle", "content_type", "s3_token",
			"latest_version", "last_modified", "s3_url", "image" })
	record File(String name, String namespace, int version, String acl, String fileSize,
			@JsonProperty("file_handle") String fileHandle, @JsonProperty("content_type") String contentType,
			@JsonProperty("s3_token") String s3Token, @JsonProperty("latest_version") int latestVersion,
			@JsonProperty("last_modified") String lastModified, @JsonProperty("s3_url") String s3Url,
			@JsonInclude(JsonInclude.Include.NON_NULL) Image image) {

		static File of(FileVersion version, int latest, String bucket) {
			return new File(version.name(), version.namespace(), version.version(), version.acl().name(),
					Long.toString(version.size()), version.handle(), version.contentType(), version.key(), latest,
					LAST_MODIFIED.format(version.lastModified()), "s3://" + bucket + "/" + version.key(), null);
		}

		File with(Image image) {
			return new File(name, namespace, version, acl, fileSize, fileHandle, contentType, s3Token, latestVersion,
					lastModified, s3Url, image);
		}

	}

	/**
	 * What the worker found in an image version's bytes: {@code PENDING} until it is done,
	 * {@code PROCESSED} with the size as displayed, frames, format and renditions, or
	 * {@code FAILED} with the reason (the version's bytes are still served as they are, without
	 * dimensions).
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonPropertyOrder({ "state", "width", "height", "frames", "format", "renditions", "error_code", "error_message" })
	record Image(String state, Integer width, Integer height, Integer frames, String format,
			List<ImageRendition> renditions, @JsonProperty("error_code") String errorCode,
			@JsonProperty("error_message") String errorMessage) {

		static final Image PENDING = new Image("PENDING", null, null, null, null, null, null, null);

		static Image processed(int width, int height, int frames, String format, List<ImageRendition> renditions) {
			return new Image("PROCESSED", width, height, frames, format, List.copyOf(renditions), null, null);
		}

		static Image failed(String code, String message) {
			return new Image("FAILED", null, null, null, null, null, code, message);
		}

	}

	/** A rendition of an image version, with a signed link as fresh as the version's own. */
	@JsonPropertyOrder({ "name", "width", "height", "content_type", "size", "secureFilePath" })
	record ImageRendition(String name, int width, int height, @JsonProperty("content_type") String contentType,
			long size, String secureFilePath) {
	}

	/** The answer to an upload. */
	@JsonPropertyOrder({ "code", "status", "message", "file", "secureFilePath" })
	record Upload(int code, String status, String message, File file, String secureFilePath) {
	}

	/** The answer to a fetch with {@code metadata=true}: the version and a signed link to it. */
	@JsonPropertyOrder({ "code", "status", "message", "file", "secureFilePath" })
	record Fetched(int code, String status, String message, File file, String secureFilePath) {
	}

	/** The answer to a delete: the version deleted, {@code latest_version} the newest left (0 for none). */
	@JsonPropertyOrder({ "code", "status", "message", "file" })
	record Deleted(int code, String status, String message, File file) {
	}

	/** One file of a namespace listing: its latest version and a link to it. */
	@JsonPropertyOrder({ "file", "secureFilePath" })
	record Listed(File file, String secureFilePath) {
	}

	/** A namespace listing. */
	@JsonPropertyOrder({ "code", "status", "message", "namespace", "files" })
	record Listing(int code, String status, String message, String namespace, List<Listed> files) {
	}

}
