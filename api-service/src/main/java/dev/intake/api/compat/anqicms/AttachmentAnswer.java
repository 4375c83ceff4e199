package dev.intake.api.compat.anqicms;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.api.assets.StoredAsset;

/**
 * The AnqiCMS attachment upload's answer: {@code {"code":0,"data":{…},"msg":""}}, the fields in
 * the order that API shows them. {@code file_location} is the object key, {@code logo} the
 * original's URL, {@code thumb} the thumbnail's (for a document, which has none, the original's,
 * as AnqiCMS itself answers for files that are not images); times in Unix seconds.
 */
@JsonPropertyOrder({ "code", "data", "msg" })
record AttachmentAnswer(int code, Data data, String msg) {

	static final String THUMB = "thumb";

	@JsonPropertyOrder({ "id", "created_time", "updated_time", "file_name", "file_location", "file_size", "file_md5",
			"width", "height", "category_id", "is_image", "status", "logo", "thumb" })
	record Data(long id, @JsonProperty("created_time") long createdTime,
			@JsonProperty("updated_time") long updatedTime, @JsonProperty("file_name") String fileName,
			@JsonProperty("file_location") String fileLocation, @JsonProperty("file_size") long fileSize,
			@JsonProperty("file_md5") String fileMd5, int width, int height,
			@JsonProperty("category_id") long categoryId, @JsonProperty("is_image") int isImage, int status,
			String logo, String thumb) {
	}

	static AttachmentAnswer of(StoredAsset asset) {
		long category = parseOrZero(asset.attributes().get(AttachmentUploadController.CATEGORY_ID));
		Data data = new Data(asset.id(), asset.createdAt().getEpochSecond(), asset.updatedAt().getEpochSecond(),
				asset.originalName(), asset.key(), asset.size(), asset.md5(), asset.width(), asset.height(), category,
				asset.image() ? 1 : 0, 1, asset.url(), asset.renditionUrl(THUMB));
		return new AttachmentAnswer(0, data, "");
	}

	private static long parseOrZero(String value) {
		try {
			return (value != null) ? Long.parseLong(value) : 0;
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
