package dev.intake.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Where a worker obtains the bytes of one item. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({ @JsonSubTypes.Type(value = ItemSource.Staged.class, name = "staged"),
		@JsonSubTypes.Type(value = ItemSource.Remote.class, name = "url") })
public sealed interface ItemSource {

	/** Bytes the api-service already streamed to the staging area. */
	record Staged(BlobRef blob, String filename) implements ItemSource {
	}

	/** Bytes a worker fetches from a remote URL. */
	record Remote(String url) implements ItemSource {
	}

}
