package dev.intake.contracts;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Where a worker obtains the bytes of one item. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({ @JsonSubTypes.Type(value = ItemSource.Staged.class, name = "staged"),
		@JsonSubTypes.Type(value = ItemSource.Remote.class, name = "url"),
		@JsonSubTypes.Type(value = ItemSource.Vault.class, name = "vault") })
public sealed interface ItemSource {

	/** Bytes the api-service already streamed to the staging area. */
	record Staged(BlobRef blob, String filename) implements ItemSource {
	}

	/** Bytes a worker fetches from a remote URL. */
	record Remote(String url) implements ItemSource {
	}

	/**
	 * The bytes of one file-service version, checked and measured where they are stored: never
	 * copied to the public image keys and never deleted by the worker. Its renditions go to
	 * {@link ObjectKeys#vaultRendition} and the outcome (the item's result) to
	 * {@link ObjectKeys#vaultImage}, both private.
	 *
	 * @param blob the version's object ({@link ObjectKeys#vaultFile})
	 * @param acl the version's key segment, {@code private} or {@code public}
	 * @param handle the version's server-made UUID
	 */
	record Vault(BlobRef blob, String filename, String acl, String handle) implements ItemSource {
	}

}
