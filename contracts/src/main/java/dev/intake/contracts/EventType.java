package dev.intake.contracts;

/**
 * Every CloudEvent type Intake publishes to {@link Topics#EVENTS}, with the JSON Schema of its
 * data: a classpath resource of this module ({@link #schemaResource()}) whose {@code $id} is the
 * event's {@code dataschema} attribute. A type name ends in its major version; a version evolves
 * by adding optional fields only.
 */
public enum EventType {

	/** Every item of a batch reached a final state ({@link BatchCompleted}); once per retry round. */
	BATCH_COMPLETED("batch.completed"),
	/** One item's attempt stored its image ({@link ItemStored}). */
	ITEM_STORED("item.stored"),
	/** One item's attempt failed ({@link ItemFailed}). */
	ITEM_FAILED("item.failed"),
	/** A compatible API's asset got its first file ({@link AssetStored}). */
	ASSET_CREATED("asset.created"),
	/** An asset's file was replaced ({@link AssetStored}). */
	ASSET_REPLACED("asset.replaced"),
	/** Reserved: an asset was deleted. Not published yet; its schema is defined. */
	ASSET_DELETED("asset.deleted");

	/** The {@code source} attribute of every event: the status-service publishes them all. */
	public static final String SOURCE = "/intake/status-service";

	private static final String SCHEMA_BASE = "https://intake.dev/schemas/";

	private final String name;

	EventType(String name) {
		this.name = name;
	}

	/** The {@code type} attribute, e.g. {@code dev.intake.item.stored.v1}. */
	public String type() {
		return "dev.intake." + name + ".v1";
	}

	/** The {@code dataschema} attribute: the {@code $id} of the data's JSON Schema. */
	public String dataschema() {
		return SCHEMA_BASE + fileName();
	}

	/** The classpath resource of the data's JSON Schema, e.g. {@code /schemas/item.stored.v1.json}. */
	public String schemaResource() {
		return "/schemas/" + fileName();
	}

	private String fileName() {
		return name + ".v1.json";
	}

}
