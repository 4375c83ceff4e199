package dev.intake.api.compat.fileservice;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The Capillary file service's answers, fields in the order it shows them: {@code fileSize} a
 * string, {@code last_modified} as {@code yyyy-MM-dd HH:mm:ss} in UTC, {@code s3_token} the object
 * key and {@code s3_url} {@code s3://bucket/key} of the object holding the version's bytes.
 */
final class FileAnswer {

	static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private FileAnswer() {
	}

	/** One version. */
	@JsonPropertyOrder({ "name", "namespace", "version", "acl", "fileSize", "file_handle", "content_type", "s3_token",
			"latest_version", "last_modified", "s3_url" })
	record File(String name, String namespace, int version, String acl, String fileSize,
			@JsonProperty("file_handle") String fileHandle, @JsonProperty("content_type") String contentType,
			@JsonProperty("s3_token") String s3Token, @JsonProperty("latest_version") int latestVersion,
			@JsonProperty("last_modified") String lastModified, @JsonProperty("s3_url") String s3Url) {

		static File of(FileVersion version, int latest, String bucket) {
			return new File(version.name(), version.namespace(), version.version(), version.acl().name(),
					Long.toString(version.size()), version.handle(), version.contentType(), version.key(), latest,
					LAST_MODIFIED.format(version.lastModified()), "s3://" + bucket + "/" + version.key());
		}

	}

	/** The answer to an upload. */
	@JsonPropertyOrder({ "code", "status", "message", "file", "secureFilePath" })
	record Upload(int code, String status, String message, File file, String secureFilePath) {
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
