package dev.intake.status.content;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemResult.ImageStored;
import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.StoredImage;
import dev.intake.contracts.Topics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The content index: decides every candidate of {@link Topics#CANDIDATES} (a verified upload, keyed
 * {@code tenant/sha256}) against the {@link #STORE} store, under the candidate's own key, so one
 * task decides every candidate of one content, one after the other, whichever worker (or share
 * group consumer) produced it:
 * <ul>
 * <li>the first object of a content wins: its entry is stored, its result goes to
 * {@link Topics#RESULTS} as stored (not a duplicate), and its object key to
 * {@link Topics#CONTENT_OBJECTS};</li>
 * <li>the same object again (a redelivered job) gets the same answer, and nothing else;</li>
 * <li>another object of the content is a {@code duplicate}: its result names the winner's object,
 * and its own object goes to {@link Topics#DISCARDS} for a worker to delete.</li>
 * </ul>
 * Exactly-once like the rest of the status topology: the store, the three topics and the input
 * offsets commit together, so a result on {@code intake.results} always has its entry, and an
 * object is discarded only once a verdict that no longer needs it is committed. Every status-service
 * instance keeps all of {@link Topics#CONTENT_OBJECTS} in the global store {@link #OWNERS}.
 */
public final class ContentIndexTopology {

	/** The index: {@link ContentEntry} per {@code tenant/sha256}, for interactive queries. */
	public static final String STORE = "content-index";

	/** Global store: the content key per upload object the index keeps. */
	public static final String OWNERS = "content-objects";

	static final Serde<ContentEntry> ENTRY_SERDE = new JsonSerde<>(ContentEntry.class);

	private static final Log logger = LogFactory.getLog(ContentIndexTopology.class);

	private ContentIndexTopology() {
	}

	public static void build(StreamsBuilder builder) {
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
				Topics.CANDIDATES.keySerde(), ENTRY_SERDE).withCachingDisabled());
		KStream<String, Verdict> verdicts = builder
			.stream(Topics.CANDIDATES.name(),
					Consumed.with(Topics.CANDIDATES.keySerde(), Topics.CANDIDATES.valueSerde())
						.withName(Topics.CANDIDATES.name()))
			.process(Indexer::new, Named.as(STORE + "-decide"), STORE);
		verdicts
			.map((content, verdict) -> KeyValue.pair(verdict.result().batchKey().toString(),
					(ItemResult) verdict.result()), Named.as(STORE + "-results"))
			.to(Topics.RESULTS.name(), Produced.with(Topics.RESULTS.keySerde(), Topics.RESULTS.valueSerde())
				.withName(STORE + "-results-sink"));
		verdicts.filter((content, verdict) -> verdict.discard() != null, Named.as(STORE + "-losers"))
			.map((content, verdict) -> KeyValue.pair(verdict.discard().key(), verdict.discard()),
					Named.as(STORE + "-discards"))
			.to(Topics.DISCARDS.name(), Produced.with(Topics.DISCARDS.keySerde(), Topics.DISCARDS.valueSerde())
				.withName(STORE + "-discards-sink"));
		verdicts.filter((content, verdict) -> verdict.won(), Named.as(STORE + "-winners"))
			.map((content, verdict) -> KeyValue.pair(verdict.result().image().object(), content),
					Named.as(STORE + "-owned"))
			.to(Topics.CONTENT_OBJECTS.name(), Produced
				.with(Topics.CONTENT_OBJECTS.keySerde(), Topics.CONTENT_OBJECTS.valueSerde())
				.withName(STORE + "-owned-sink"));
		builder.globalTable(Topics.CONTENT_OBJECTS.name(),
				Consumed.with(Topics.CONTENT_OBJECTS.keySerde(), Topics.CONTENT_OBJECTS.valueSerde())
					.withName(OWNERS + "-source"),
				Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(OWNERS)
					.withKeySerde(Topics.CONTENT_OBJECTS.keySerde())
					.withValueSerde(Topics.CONTENT_OBJECTS.valueSerde())
					.withCachingDisabled());
	}

	/**
	 * The verdict on one candidate.
	 *
	 * @param result the final result of the item
	 * @param discard the candidate's object when it lost, else null
	 * @param won whether the candidate's object is now the content's
	 */
	record Verdict(ImageStored result, BlobRef discard, boolean won) {
	}

	/** Decides each candidate against the index (see the class comment). */
	static final class Indexer implements Processor<String, ItemResult, String, Verdict> {

		private ProcessorContext<String, Verdict> context;

		private KeyValueStore<String, ContentEntry> index;

		@Override
		public void init(ProcessorContext<String, Verdict> context) {
			this.context = context;
			this.index = context.getStateStore(STORE);
		}

		@Override
		public void process(Record<String, ItemResult> record) {
			Verdict verdict = decide(record.key(), record.value());
			if (verdict != null) {
				context.forward(record.withValue(verdict));
			}
		}

		private Verdict decide(String key, ItemResult value) {
			if (!(value instanceof ImageStored candidate) || !candidate.isCandidate()
					|| !candidate.contentKey().equals(key)) {
				logger.warn("Ignoring a record of " + Topics.CANDIDATES.name() + " that is no candidate of its key "
						+ key);
				return null;
			}
			String object = candidate.image().object();
			ContentEntry entry = index.get(key);
			if (entry == null) {
				index.put(key, ContentEntry.of(candidate.image(), candidate.itemId()));
				return new Verdict(candidate.with(candidate.image().decided(object, false)), null, true);
			}
			if (entry.object().equals(object)) {
				return new Verdict(candidate.with(candidate.image().decided(object, false)), null, false);
			}
			var image = candidate.image();
			var duplicate = new StoredImage(entry.bucket(), entry.key(), entry.size(),
					entry.contentType(), image.format(), image.md5(), image.sha256(), image.width(), image.height(),
					image.frames(), image.renditions(), true, image.document(), entry.object());
			return new Verdict(candidate.with(duplicate),
					new BlobRef(image.bucket(), object, image.size(), image.contentType()), false);
		}

	}

}
