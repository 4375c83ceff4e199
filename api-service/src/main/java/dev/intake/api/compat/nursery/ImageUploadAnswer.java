package dev.intake.api.compat.nursery;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.api.assets.StoredAsset;

/**
 * The nursery image API's upload answer, the fields in the document's order plus {@code file_id},
 * which its workflow links with: {@code file_name} is the generated name with the stored file's
 * extension, {@code file_type} its content type as recognised from the bytes, {@code file_bucket}
 * always {@code PUBLIC} (its URLs are served by the public image origin).
 */
@JsonPropertyOrder({ "success", "file_name", "file_type", "file_extension", "file_size", "file_bucket", "file_id" })
record ImageUploadAnswer(boolean success, @JsonProperty("file_name") String fileName,
		@JsonProperty("file_type") String fileType, @JsonProperty("file_extension") String fileExtension,
		@JsonProperty("file_size") long fileSize, @JsonProperty("file_bucket") String fileBucket,
		@JsonProperty("file_id") long fileId) {

	static final String PUBLIC = "PUBLIC";

	static ImageUploadAnswer of(StoredAsset asset) {
		String extension = GeneratedNames.extensionOf(asset.key());
		String name = GeneratedNames.nameOf(asset.attributes().get(GeneratedNames.ATTRIBUTE), asset.key());
		return new ImageUploadAnswer(true, name, asset.contentType(), extension, asset.size(), PUBLIC, asset.id());
	}

}
