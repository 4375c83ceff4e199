package dev.intake.status.progress;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.intake.contracts.BatchCompleted;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.Topics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.intake.status.progress.Batches.aBatchOf;
import static dev.intake.status.progress.Batches.failed;
import static dev.intake.status.progress.Batches.stored;
import static org.assertj.core.api.Assertions.assertThat;

/** The topology announces each batch's completion once, as a CloudEvent in Kafka binary mode. */
class BatchCompletedEventsTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private TopologyTestDriver driver;

	private TestInputTopic<String, BatchSubmitted> batches;

	private TestInputTopic<String, ItemResult> results;

	private TestOutputTopic<String, String> events;

	@TempDir
	Path stateDir;

	@BeforeEach
	void startTopology() {
		driver = TopologyDrivers.start(stateDir);
		batches = TopologyDrivers.input(driver, Topics.BATCHES);
		results = TopologyDrivers.input(driver, Topics.RESULTS);
		events = driver.createOutputTopic(Topics.EVENTS, Serdes.String().deserializer(),
				Serdes.String().deserializer());
	}

	@AfterEach
	void stopTopology() {
		driver.close();
	}

	@Test
	void theLastResultOfABatchAnnouncesItsCompletionWithTheFinalCounts() {
		BatchSubmitted batch = aBatchOf(3);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 0));
		report(failed(batch, 1));
		assertThat(completions().isEmpty()).as("not complete yet").isTrue();

		report(stored(batch, 2));

		List<TestRecord<String, String>> published = completions();
		assertThat(published).hasSize(1);
		TestRecord<String, String> event = published.get(0);
		assertThat(event.key()).isEqualTo("acme/batch-1");
		JsonNode data = json.readTree(event.value());
		assertThat(data.get("tenant").asString()).isEqualTo("acme");
		assertThat(data.get("batchId").asString()).isEqualTo("batch-1");
		assertThat(data.get("totalCount").asInt()).isEqualTo(3);
		assertThat(data.get("successCount").asInt()).isEqualTo(2);
		assertThat(data.get("failedCount").asInt()).isEqualTo(1);
		assertThat(data.get("submittedAt").asString()).isEqualTo("2026-01-06T10:00:00Z");
		// the latest processing time of the items (item 2 finished at NOW + 2 s)
		assertThat(data.get("completedAt").asString()).isEqualTo("2026-01-06T10:00:02Z");
		assertThat(Topics.EVENTS).isEqualTo("intake.events");
	}

	@Test
	void theEventIsABinaryModeCloudEvent() {
		BatchSubmitted batch = aBatchOf("acme", "b-42", 1);
		// headers of the inputs are not passed on to subscribers
		batches.pipeInput(new TestRecord<>(batch.key().toString(), batch,
				new RecordHeaders().add("traceparent", new byte[] { 1 }), (Instant) null));
		results.pipeInput(new TestRecord<>(batch.key().toString(), stored(batch, 0),
				new RecordHeaders().add("__TypeId__", "x".getBytes(StandardCharsets.UTF_8)), (Instant) null));

		TestRecord<String, String> event = completions().get(0);

		assertThat(headersOf(event)).containsExactlyInAnyOrderEntriesOf(Map.of("ce_specversion", "1.0", "ce_id",
				"acme/b-42/completed", "ce_source", "/intake/status-service", "ce_type",
				"dev.intake.batch.completed.v1", "ce_subject", "b-42", "ce_time", "2026-01-06T10:00:00Z",
				"ce_dataschema", "https://intake.dev/schemas/batch.completed.v1.json", "ce_tenant", "acme",
				"content-type", "application/json"));
		assertThat(BatchCompleted.TYPE).isEqualTo("dev.intake.batch.completed.v1");
	}

	@Test
	void duplicatesAndLaterAttemptsAfterCompletionAnnounceNothing() {
		BatchSubmitted batch = aBatchOf(2);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 0));
		report(failed(batch, 1));
		assertThat(completions()).hasSize(1);

		report(failed(batch, 1));
		report(stored(batch, 0));
		report(stored(batch, 1, 2));
		batches.pipeInput(batch.key().toString(), batch);

		assertThat(completions().isEmpty()).isTrue();
	}

	@Test
	void aRepeatedSubmissionOrAStrayResultRightAfterCompletionAnnouncesNothing() {
		BatchSubmitted batch = aBatchOf(1);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 0));
		assertThat(completions()).hasSize(1);

		batches.pipeInput(batch.key().toString(), batch);
		assertThat(completions().isEmpty()).as("after a repeated submission").isTrue();

		report(stored(batch, 0));
		report(new ItemResult.ImageFailed(batch.tenant(), batch.batchId(), "stray", 7, 1, "CORRUPT_IMAGE", "x",
				java.time.Instant.EPOCH));
		batches.pipeInput(batch.key().toString(), batch);
		assertThat(completions().isEmpty()).as("after a result outside the batch").isTrue();
	}

	@Test
	void aBatchWhoseResultsAllCameFirstCompletesOnItsSubmission() {
		BatchSubmitted batch = aBatchOf(2);
		report(stored(batch, 1));
		report(stored(batch, 0));
		assertThat(completions().isEmpty()).isTrue();

		batches.pipeInput(batch.key().toString(), batch);

		List<TestRecord<String, String>> published = completions();
		assertThat(published).hasSize(1);
		assertThat(json.readTree(published.get(0).value()).get("successCount").asInt()).isEqualTo(2);
	}

	@Test
	void everyBatchIsAnnouncedOnceUnderItsOwnKey() {
		BatchSubmitted one = aBatchOf("acme", "one", 1);
		BatchSubmitted two = aBatchOf("umbrella", "two", 2);
		batches.pipeInput(one.key().toString(), one);
		batches.pipeInput(two.key().toString(), two);
		for (int round = 0; round < 3; round++) {
			report(stored(one, 0));
			report(failed(two, 0));
			report(failed(two, 1));
		}

		assertThat(completions()).extracting(TestRecord::key)
			.containsExactly("acme/one", "umbrella/two");
	}

	@Test
	void theDataHasExactlyTheFieldsOfItsSchema() throws Exception {
		BatchSubmitted batch = aBatchOf(1);
		batches.pipeInput(batch.key().toString(), batch);
		report(stored(batch, 0));
		JsonNode data = json.readTree(completions().get(0).value());

		JsonNode schema;
		try (InputStream in = getClass().getResourceAsStream("/schemas/batch.completed.v1.json")) {
			schema = json.readTree(in);
		}
		Set<String> required = new TreeSet<>();
		schema.get("required").forEach(field -> required.add(field.asString()));
		Set<String> present = new TreeSet<>(data.propertyNames());
		assertThat(present).isEqualTo(required);
		assertThat(schema.get("properties").propertyNames()).containsExactlyInAnyOrderElementsOf(required);
	}

	private void report(ItemResult result) {
		results.pipeInput(result.batchKey().toString(), result);
	}

	private static Map<String, String> headersOf(TestRecord<String, String> record) {
		Map<String, String> headers = new HashMap<>();
		for (Header header : record.headers()) {
			assertThat(headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8)))
				.as("header %s once", header.key())
				.isNull();
		}
		return headers;
	}

	/** The {@code batch.completed} events published since the last read (item events are skipped). */
	private List<TestRecord<String, String>> completions() {
		return events.readRecordsToList()
			.stream()
			.filter(record -> BatchCompleted.TYPE
				.equals(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8)))
			.toList();
	}

}
