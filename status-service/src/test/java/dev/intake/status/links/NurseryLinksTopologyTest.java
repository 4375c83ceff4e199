package dev.intake.status.links;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

import dev.intake.contracts.NurseryLink;
import dev.intake.contracts.Topics;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Links applied to their batches: link order, a relink's new type in place, idempotence, scope, the cap. */
class NurseryLinksTopologyTest {

	static final Instant UPLOADED = Instant.parse("2026-03-01T12:00:00Z");

	@TempDir
	Path stateDir;

	TopologyTestDriver driver;

	TestInputTopic<String, NurseryLink> links;

	KeyValueStore<String, NurseryBatch> store;

	@BeforeEach
	void start() {
		StreamsBuilder builder = new StreamsBuilder();
		NurseryLinksTopology.build(builder);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "intake-status-test");
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		driver = new TopologyTestDriver(builder.build(), config);
		links = driver.createInputTopic(Topics.NURSERY_LINKS.name(), Topics.NURSERY_LINKS.keySerde().serializer(),
				Topics.NURSERY_LINKS.valueSerde().serializer());
		store = driver.getKeyValueStore(NurseryLinksTopology.STORE);
	}

	@AfterEach
	void stop() {
		driver.close();
	}

	@Test
	void filesAreListedInLinkOrderAndARelinkChangesOnlyTheType() {
		link(aLink("acme", 2, 1, 10, "ROOT"));
		link(aLink("acme", 2, 1, 11, "LEAF"));
		link(aLink("acme", 2, 1, 10, "ROOT"));
		link(aLink("acme", 2, 1, 10, "STEM"));

		NurseryBatch batch = store.get(NurseryLink.key("acme", 2, 1));
		assertThat(batch.links()).extracting(NurseryBatch.Linked::fileId).containsExactly(10L, 11L);
		assertThat(batch.links()).extracting(NurseryBatch.Linked::type).containsExactly("STEM", "LEAF");
		assertThat(batch.links().get(0).fileName()).isEqualTo("file-10.png");
		assertThat(batch.links().get(0).uploadedAt()).isEqualTo(UPLOADED);
	}

	@Test
	void batchesAreKeptPerTenantNurseryAndBatch() {
		link(aLink("acme", 2, 1, 10, "ROOT"));
		link(aLink("acme", 3, 1, 11, "ROOT"));
		link(aLink("acme", 2, 4, 12, "ROOT"));
		link(aLink("other", 2, 1, 13, "ROOT"));

		assertThat(store.get(NurseryLink.key("acme", 2, 1)).links()).extracting(NurseryBatch.Linked::fileId)
			.containsExactly(10L);
		assertThat(store.get(NurseryLink.key("acme", 3, 1)).links()).extracting(NurseryBatch.Linked::fileId)
			.containsExactly(11L);
		assertThat(store.get(NurseryLink.key("other", 2, 1)).links()).extracting(NurseryBatch.Linked::fileId)
			.containsExactly(13L);
		assertThat(store.get(NurseryLink.key("acme", 9, 9))).isNull();
	}

	@Test
	void aFullBatchTakesNoNewFileButStillChangesTypes() {
		NurseryBatch batch = NurseryBatch.EMPTY;
		for (int i = 1; i <= NurseryLink.MAX_PER_BATCH + 1; i++) {
			NurseryLink link = aLink("acme", 1, 1, i, "ROOT");
			batch = NurseryLinksTopology.apply(link.key(), link, batch);
		}
		NurseryLink relink = aLink("acme", 1, 1, 1, "LEAF");
		batch = NurseryLinksTopology.apply(relink.key(), relink, batch);

		assertThat(batch.links()).hasSize(NurseryLink.MAX_PER_BATCH);
		assertThat(batch.lists(NurseryLink.MAX_PER_BATCH + 1)).isFalse();
		assertThat(batch.links().get(0).type()).isEqualTo("LEAF");
	}

	@Test
	void aLinkUnderAnotherKeyIsIgnored() {
		NurseryLink link = aLink("acme", 2, 1, 10, "ROOT");
		links.pipeInput(NurseryLink.key("acme", 2, 2), link);

		assertThat(store.get(NurseryLink.key("acme", 2, 2)).links()).isEmpty();
	}

	private void link(NurseryLink link) {
		links.pipeInput(link.key(), link);
	}

	static NurseryLink aLink(String tenant, long nursery, long batch, long file, String type) {
		return new NurseryLink(tenant, nursery, batch, file, "file-" + file + ".png", type, 1, UPLOADED,
				UPLOADED.plusSeconds(file));
	}

}
