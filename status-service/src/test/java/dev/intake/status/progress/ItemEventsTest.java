package dev.intake.status.progress;

import java.nio.file.Path;
import java.util.List;

import dev.intake.contracts.BatchRecord;
import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.EventType;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topics;
import dev.intake.status.events.EventSchemas;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.intake.status.progress.Batches.NOW;
import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology publishes one {@code item.stored} or {@code item.failed} CloudEvent per item and
 * attempt, under the batch key, before the batch's {@code batch.completed}; each parses with the
 * CloudEvents SDK and its data matches its schema.
 */
class ItemEventsTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final EventSchemas schemas = new EventSchemas();

	private TopologyTestDriver driver;

	private TestInputTopic<String, BatchRecord> batches;

	private TestInputTopic<String, ItemResult> results;

	private TestOutputTopic<String, byte[]> events;

	@TempDir
	Path stateDir;

	@BeforeEach
	void startTopology() {
		driver = TopologyDrivers.start(stateDir);
		batches = TopologyDrivers.input(driver, Topics.BATCH_RECORDS);
		results = TopologyDrivers.input(driver, Topics.RESULTS);
		events = driver.createOutputTopic(Topics.EVENTS, Serdes.String().deserializer(), new ByteArrayDeserializer());
	}

	@AfterEach
	void stopTopology() {
		driver.close();
	}

	@Test
	void eachItemIsAnnouncedOnceThenTheBatch() {
		BatchSubmitted batch = aBatchOf("acme", "b-1", 3);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 2));
		report(failed(batch, 0, 1, ItemError.TOO_LARGE));
		report(stored(batch, 1));

		List<CloudEvent> published = published();
		assertThat(published).extracting(CloudEvent::getType)
			.containsExactly(EventType.ITEM_STORED.type(), EventType.ITEM_FAILED.type(), EventType.ITEM_STORED.type(),
					EventType.BATCH_COMPLETED.type());
		assertThat(published).extracting(CloudEvent::getId)
			.containsExactly("acme/b-1/2/attempt-1", "acme/b-1/0/attempt-1", "acme/b-1/1/attempt-1",
					"acme/b-1/completed");
		assertThat(published).extracting(event -> event.getExtension("tenant")).containsOnly("acme");
	}

	@Test
	void anItemEventCarriesTheItemItsUrlsAndWhatWasMeasured() {
		BatchSubmitted batch = aBatchOf("acme", "b-2", 2);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 1));

		CloudEvent event = published().get(0);
		JsonNode data = json.readTree(event.getData().toBytes());
		assertThat(event.getSubject()).isEqualTo("b-2/1");
		assertThat(event.getDataSchema()).hasToString("https://intake.dev/schemas/item.stored.v1.json");
		assertThat(event.getTime().toInstant()).isEqualTo(NOW.plusSeconds(1));
		assertThat(data.get("index").asInt()).isEqualTo(1);
		assertThat(data.get("name").asString()).isEqualTo(batch.items().get(1).name());
		assertThat(data.get("itemId").asString()).isEqualTo(ItemIds.of(batch.key(), 1));
		JsonNode file = data.get("file");
		assertThat(file.get("url").asString())
			.isEqualTo("http://127.0.0.1:8080/i/" + stored(batch, 1).image().key());
		assertThat(file.get("format").asString()).isEqualTo("png");
		assertThat(file.get("contentType").asString()).isEqualTo("image/png");
		assertThat(file.get("width").asInt()).isEqualTo(640);
		assertThat(file.get("height").asInt()).isEqualTo(480);
		assertThat(file.get("size").asLong()).isEqualTo(2048);
		assertThat(file.get("sha256").asString()).isEqualTo(stored(batch, 1).image().sha256());
		assertThat(file.get("md5").asString()).isEqualTo(stored(batch, 1).image().md5());
	}

	@Test
	void duplicatesAndRepeatedSubmissionsPublishNothing() {
		BatchSubmitted batch = aBatchOf("acme", "b-3", 2);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 0));
		assertThat(published()).hasSize(1);

		report(stored(batch, 0));
		report(failed(batch, 0, 1, ItemError.CORRUPT_IMAGE));
		batches.pipeInput(batch.key().toString(), batch);
		assertThat(published()).isEmpty();

		report(stored(batch, 1));
		report(stored(batch, 1));
		report(stored(batch, 0));
		assertThat(published()).extracting(CloudEvent::getType)
			.containsExactly(EventType.ITEM_STORED.type(), EventType.BATCH_COMPLETED.type());
	}

	@Test
	void aRetriedItemIsAnnouncedAgainWithANewId() {
		BatchSubmitted batch = aBatchOf("acme", "b-4", 2);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 0));
		report(failed(batch, 1, 1, ItemError.RETRIES_EXHAUSTED));
		assertThat(published()).extracting(CloudEvent::getId)
			.containsExactly("acme/b-4/0/attempt-1", "acme/b-4/1/attempt-1", "acme/b-4/completed");

		batches.pipeInput(batch.key().toString(), new BatchRetried("acme", "b-4", 1, List.of(1), NOW));
		assertThat(published()).isEmpty();
		report(failed(batch, 1, 1, ItemError.RETRIES_EXHAUSTED));
		assertThat(published()).as("a late result of the first attempt").isEmpty();

		report(stored(batch, 1, 2));
		report(stored(batch, 1, 2));
		List<CloudEvent> retried = published();
		assertThat(retried).extracting(CloudEvent::getId)
			.containsExactly("acme/b-4/1/attempt-2", "acme/b-4/completed/retry-1");
		assertThat(json.readTree(retried.get(0).getData().toBytes()).get("attempt").asInt()).isEqualTo(2);
	}

	@Test
	void resultsBeforeTheirBatchAreAnnouncedWhenItArrives() {
		BatchSubmitted batch = aBatchOf("acme", "b-5", 2);
		report(stored(batch, 1));
		assertThat(published()).isEmpty();

		batches.pipeInput(batch.key().toString(), batch);
		assertThat(published()).extracting(CloudEvent::getId).containsExactly("acme/b-5/1/attempt-1");
	}

	@Test
	void anInternalBatchIsTrackedButNothingOfItIsAnnounced() {
		BatchSubmitted batch = Batches.internal(aBatchOf("acme", "vault-1", 2));
		report(stored(batch, 1));
		batches.pipeInput(batch.key().toString(), batch);
		report(failed(batch, 0, 1, ItemError.RETRIES_EXHAUSTED));
		batches.pipeInput(batch.key().toString(), new BatchRetried("acme", "vault-1", 1, List.of(0), NOW));
		report(stored(batch, 0, 2));

		assertThat(events.readRecordsToList()).isEmpty();
		KeyValueStore<String, BatchProgress> store = driver.getKeyValueStore(BatchProgressTopology.STORE);
		BatchProgress tracked = store.get(batch.key().toString());
		assertThat(tracked.internal()).isTrue();
		assertThat(tracked.complete()).isTrue();
		assertThat(tracked.successCount()).isEqualTo(2);
		assertThat(tracked.retryRound()).isEqualTo(1);

		BatchSubmitted client = aBatchOf("acme", "b-6", 1);
		batches.pipeInput(client.key().toString(), client);
		report(stored(client, 0));
		assertThat(published()).extracting(CloudEvent::getId)
			.containsExactly("acme/b-6/0/attempt-1", "acme/b-6/completed");
	}

	/** The events since the last read, parsed by the CloudEvents SDK, each valid by its schema. */
	private List<CloudEvent> published() {
		try (CloudEventDeserializer parser = new CloudEventDeserializer()) {
			return events.readRecordsToList().stream().map(record -> {
				assertThat(record.key()).isIn("acme/b-1", "acme/b-2", "acme/b-3", "acme/b-4", "acme/b-5",
						"acme/b-6");
				CloudEvent event = parser.deserialize(Topics.EVENTS, record.headers(), record.value());
				assertThat(schemas.violations(event)).as("data of %s", event.getId()).isEmpty();
				return event;
			}).toList();
		}
	}

	private void report(ItemResult result) {
		results.pipeInput(new TestRecord<>(result.batchKey().toString(), result));
	}

	private static ItemResult.ImageFailed failed(BatchSubmitted batch, int index, int attempt, ItemError code) {
		return new ItemResult.ImageFailed(batch.tenant(), batch.batchId(), ItemIds.of(batch.key(), index), index,
				attempt, code.name(), "failed: " + code, NOW.plusSeconds(index + attempt));
	}

}
