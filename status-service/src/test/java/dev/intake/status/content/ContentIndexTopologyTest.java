package dev.intake.status.content;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemResult.ImageStored;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.StoredImage;
import dev.intake.contracts.Topics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Candidates decided by the content index: the first object of a content wins, a redelivery gets
 * the same answer, another object is a duplicate whose bytes are discarded; tenants apart.
 */
class ContentIndexTopologyTest {

	static final Instant AT = Instant.parse("2026-12-06T18:00:00Z");

	static final String SHA = "a".repeat(64);

	@TempDir
	Path stateDir;

	TopologyTestDriver driver;

	TestInputTopic<String, ItemResult> candidates;

	TestOutputTopic<String, ItemResult> results;

	TestOutputTopic<String, BlobRef> discards;

	TestOutputTopic<String, String> owned;

	KeyValueStore<String, ContentEntry> index;

	@BeforeEach
	void start() {
		StreamsBuilder builder = new StreamsBuilder();
		ContentIndexTopology.build(builder);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "intake-status-test");
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		driver = new TopologyTestDriver(builder.build(), config);
		candidates = driver.createInputTopic(Topics.CANDIDATES.name(), Topics.CANDIDATES.keySerde().serializer(),
				Topics.CANDIDATES.valueSerde().serializer());
		results = driver.createOutputTopic(Topics.RESULTS.name(), Topics.RESULTS.keySerde().deserializer(),
				Topics.RESULTS.valueSerde().deserializer());
		discards = driver.createOutputTopic(Topics.DISCARDS.name(), Topics.DISCARDS.keySerde().deserializer(),
				Topics.DISCARDS.valueSerde().deserializer());
		owned = driver.createOutputTopic(Topics.CONTENT_OBJECTS.name(),
				Topics.CONTENT_OBJECTS.keySerde().deserializer(), Topics.CONTENT_OBJECTS.valueSerde().deserializer());
		index = driver.getKeyValueStore(ContentIndexTopology.STORE);
	}

	@AfterEach
	void stop() {
		driver.close();
	}

	@Test
	void theFirstObjectOfAContentIsStoredAndNamedInTheResult() {
		ImageStored first = candidate("acme", "b1", 0, "up-1");
		send(first);

		KeyValue<String, ItemResult> result = results.readKeyValue();
		assertThat(result.key).isEqualTo("acme/b1");
		StoredImage image = ((ImageStored) result.value).image();
		assertThat(image.duplicate()).isFalse();
		assertThat(image.object()).isEqualTo(first.image().object());
		assertThat(image.key()).isEqualTo(ObjectKeys.original("acme", SHA, ImageFormat.PNG));
		assertThat(index.get("acme/" + SHA).object()).isEqualTo(first.image().object());
		assertThat(owned.readKeyValuesToList()).containsExactly(KeyValue.pair(first.image().object(), "acme/" + SHA));
		assertThat(discards.isEmpty()).isTrue();
		assertThat(ownedStore().get(first.image().object())).isEqualTo("acme/" + SHA);
	}

	@Test
	void aRedeliveredCandidateGetsTheSameAnswerAndNothingElse() {
		ImageStored first = candidate("acme", "b1", 0, "up-1");
		send(first);
		ItemResult once = results.readValue();
		owned.readKeyValuesToList();

		send(first);

		assertThat(results.readValue()).isEqualTo(once);
		assertThat(owned.isEmpty()).isTrue();
		assertThat(discards.isEmpty()).isTrue();
	}

	@Test
	void anotherObjectOfTheSameContentIsADuplicateAndItsBytesAreDiscarded() {
		ImageStored first = candidate("acme", "b1", 0, "up-1");
		ImageStored second = candidate("acme", "b2", 3, "up-2");
		send(first);
		results.readValue();
		owned.readKeyValuesToList();

		send(second);

		KeyValue<String, ItemResult> result = results.readKeyValue();
		assertThat(result.key).isEqualTo("acme/b2");
		ImageStored stored = (ImageStored) result.value;
		assertThat(stored.index()).isEqualTo(3);
		assertThat(stored.image().duplicate()).isTrue();
		assertThat(stored.image().object()).isEqualTo(first.image().object());
		assertThat(stored.image().key()).isEqualTo(first.image().key());
		assertThat(discards.readKeyValuesToList()).containsExactly(KeyValue.pair(second.image().object(),
				new BlobRef("intake", second.image().object(), 2048, "image/png")));
		assertThat(owned.isEmpty()).isTrue();
		assertThat(index.get("acme/" + SHA).object()).isEqualTo(first.image().object());
		assertThat(ownedStore().get(second.image().object())).isNull();

		// the loser redelivered before its bytes were deleted: the same verdict again
		send(second);
		assertThat(((ImageStored) results.readValue()).image().duplicate()).isTrue();
		assertThat(discards.readValuesToList()).hasSize(1);
	}

	@Test
	void tenantsHaveTheirOwnIndex() {
		send(candidate("acme", "b1", 0, "up-1"));
		send(candidate("other", "b1", 0, "up-1"));

		assertThat(results.readValuesToList()).extracting(result -> ((ImageStored) result).image().duplicate())
			.containsExactly(false, false);
		assertThat(discards.isEmpty()).isTrue();
		assertThat(index.get("other/" + SHA).object()).startsWith("uploads/2026120618/other/");
	}

	@Test
	void recordsThatAreNoCandidateOfTheirKeyAreIgnored() {
		ImageStored stored = candidate("acme", "b1", 0, "up-1");
		candidates.pipeInput("acme/" + "b".repeat(64), stored);
		ImageStored staticKey = stored.with(stored.image().decided(null, false));
		candidates.pipeInput(staticKey.contentKey(), staticKey);
		candidates.pipeInput("acme/" + SHA, new ItemResult.ImageFailed("acme", "b1", "i", 0, 1, "BROKEN", "x", AT));

		assertThat(results.isEmpty()).isTrue();
		assertThat(index.get("acme/" + SHA)).isNull();
	}

	private void send(ImageStored candidate) {
		candidates.pipeInput(candidate.contentKey(), candidate);
	}

	private KeyValueStore<String, String> ownedStore() {
		return driver.getKeyValueStore(ContentIndexTopology.OWNERS);
	}

	static ImageStored candidate(String tenant, String batchId, int index, String upload) {
		String object = ObjectKeys.upload(AT, tenant, upload, index);
		StoredImage image = new StoredImage("intake", ObjectKeys.original(tenant, SHA, ImageFormat.PNG), 2048,
				"image/png", ImageFormat.PNG, "m".repeat(32), SHA, 4, 3, 1, List.of(), false, null, object);
		return new ImageStored(tenant, batchId, batchId + "-" + index, index, 1, image, AT);
	}

}
