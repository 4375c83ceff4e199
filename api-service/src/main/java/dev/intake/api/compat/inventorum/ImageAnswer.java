package dev.intake.api.compat.inventorum;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.intake.api.assets.StoredAsset;

/**
 * The Inventorum images API's answer: {@code {"id","urls":{…},"type","new":true}}, the URLs of
 * the {@code inventorum} renditions and of the original. For API version 7 and earlier the id is
 * negated, as that API has always answered them.
 */
@JsonPropertyOrder({ "id", "urls", "type", "new" })
record ImageAnswer(long id, Urls urls, int type, @JsonProperty("new") boolean created) {

	@JsonPropertyOrder({ "ipad", "thumb", "image", "ipad_retina", "ebay", "thumb_retina", "original" })
	record Urls(String ipad, String thumb, String image, @JsonProperty("ipad_retina") String ipadRetina, String ebay,
			@JsonProperty("thumb_retina") String thumbRetina, String original) {
	}

	static ImageAnswer of(StoredAsset asset, int type, int version) {
		Urls urls = new Urls(asset.renditionUrl("ipad"), asset.renditionUrl("thumb"), asset.renditionUrl("image"),
				asset.renditionUrl("ipad_retina"), asset.renditionUrl("ebay"), asset.renditionUrl("thumb_retina"),
				asset.url());
		long id = (version <= ImagesController.LAST_NEGATIVE_ID_VERSION) ? -asset.id() : asset.id();
		return new ImageAnswer(id, urls, type, true);
	}

}
