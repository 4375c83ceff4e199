package dev.intake.contracts;

import org.apache.kafka.common.serialization.Serdes;

/**
 * Every Kafka topic of Intake, in one typed place. Partition counts are settings of the services
 * ({@code intake.topics.*}); {@link #BATCHES} and {@link #RESULTS} must have the same count,
 * because the status topology joins them by key without repartitioning.
 */
public final class Topics {

	/** One {@link BatchSubmitted} per batch, keyed by {@link BatchKey} string. */
	public static final Topic<String, BatchSubmitted> BATCHES = new Topic<>("intake.batches", Serdes.String(),
			new JsonSerde<>(BatchSubmitted.class));

	/**
	 * Every value of {@link #BATCHES} as consumers must read it: {@link BatchSubmitted} once, then
	 * any {@link BatchRetried} rounds. Same topic as {@link #BATCHES}, which producers of
	 * submissions keep using.
	 */
	public static final Topic<String, BatchRecord> BATCH_RECORDS = new Topic<>("intake.batches", Serdes.String(),
			new BatchRecordSerde());

	/** One {@link IngestImage} per item, keyed by item id so a batch spreads over workers. */
	public static final Topic<String, IngestImage> JOBS = new Topic<>("intake.jobs", Serdes.String(),
			new JsonSerde<>(IngestImage.class));

	/**
	 * The jobs of single-file uploads, whose clients wait for the stored file in the same request
	 * ({@link BatchSubmitted#awaited()}): as {@link #JOBS}, but consumed by worker threads of their
	 * own, so such an upload never queues behind the jobs of large batches.
	 */
	public static final Topic<String, IngestImage> INTERACTIVE_JOBS = new Topic<>("intake.interactive-jobs",
			Serdes.String(), new JsonSerde<>(IngestImage.class));

	/** One {@link ItemResult} per item (at least once), keyed by {@link BatchKey} string. */
	public static final Topic<String, ItemResult> RESULTS = new Topic<>("intake.results", Serdes.String(),
			new JsonSerde<>(ItemResult.class));

	/**
	 * Candidate verdicts: one {@link ItemResult.ImageStored} per verified upload whose bytes stay
	 * where the api-service wrote them ({@link StoredImage#object()}), keyed by
	 * {@link ItemResult.ImageStored#contentKey()} ({@code tenant/sha256}). The status-service's
	 * content index decides each (the first object of a content wins) and forwards the final
	 * result to {@link #RESULTS}.
	 */
	public static final Topic<String, ItemResult> CANDIDATES = new Topic<>("intake.candidates", Serdes.String(),
			new JsonSerde<>(ItemResult.class));

	/**
	 * Uploads whose bytes are not needed: the objects of candidates that lost to an earlier
	 * object of the same content. Keyed by object key; the worker deletes them.
	 */
	public static final Topic<String, BlobRef> DISCARDS = new Topic<>("intake.discards", Serdes.String(),
			new JsonSerde<>(BlobRef.class));

	/**
	 * The upload objects the content index keeps, keyed by object key, valued by the content key
	 * ({@code tenant/sha256}) they hold; compacted, kept for good. Read whole by each
	 * status-service instance, so that the sweeper asks any of them which old uploads are kept.
	 */
	public static final Topic<String, String> CONTENT_OBJECTS = new Topic<>("intake.content-objects",
			Serdes.String(), Serdes.String());

	/**
	 * Public events for subscribers, keyed by {@link BatchKey} string: CloudEvents 1.0 in Kafka
	 * binary mode ({@code ce_*} headers, JSON data), e.g. {@link BatchCompleted}.
	 */
	public static final String EVENTS = "intake.events";

	/**
	 * The asset catalogue: one {@link Asset} per tenant and asset id, keyed by {@link Asset#key()},
	 * compacted. Written by the status-service only.
	 */
	public static final Topic<String, Asset> ASSETS = new Topic<>("intake.assets", Serdes.String(),
			new JsonSerde<>(Asset.class));

	/**
	 * The nursery image API's links of files to batches: one {@link NurseryLink} per accepted link,
	 * keyed by {@link NurseryLink#key()}, so a batch's links stay in order. Kept for good.
	 */
	public static final Topic<String, NurseryLink> NURSERY_LINKS = new Topic<>("intake.nursery-links",
			Serdes.String(), new JsonSerde<>(NurseryLink.class));

	/**
	 * Asset id allocation ({@link AssetIds}): one partition; each record's offset is an id, its
	 * value the tenant it was issued to. Kept as long as the ids must stay unique (forever).
	 */
	public static final String ASSET_IDS = "intake.asset-ids";

	/**
	 * Webhook subscriptions: one {@link Webhook} per tenant and id, keyed by {@link Webhook#key()},
	 * compacted (a tombstone deletes). Kept forever.
	 */
	public static final Topic<String, Webhook> WEBHOOKS = new Topic<>("intake.webhooks", Serdes.String(),
			new JsonSerde<>(Webhook.class));

	/**
	 * Deliveries to make: one {@link WebhookDelivery} per event and endpoint, keyed by the
	 * subscription's key. The dispatcher's retry topics ({@code intake.webhook-deliveries-retry-N})
	 * and dead-letter topic derive from this name.
	 */
	public static final Topic<String, WebhookDelivery> WEBHOOK_DELIVERIES = new Topic<>("intake.webhook-deliveries",
			Serdes.String(), new JsonSerde<>(WebhookDelivery.class));

	/** Outcomes of delivery attempts ({@link WebhookAttempt}), keyed by the subscription's key; time-retained. */
	public static final Topic<String, WebhookAttempt> WEBHOOK_ATTEMPTS = new Topic<>("intake.webhook-attempts",
			Serdes.String(), new JsonSerde<>(WebhookAttempt.class));

	/**
	 * Jobs of {@link #JOBS} and {@link #INTERACTIVE_JOBS} that could not be processed at all, with
	 * the reason (and the topic they came from) in headers.
	 */
	public static final String JOBS_DLT = "intake.jobs-dlt";

	private Topics() {
	}

}
