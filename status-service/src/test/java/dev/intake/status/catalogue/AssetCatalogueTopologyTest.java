package dev.intake.status.catalogue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.intake.contracts.Asset;
import dev.intake.contracts.AssetLink;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchRecord;
import dev.intake.contracts.BatchRetried;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.BlobRef;
import dev.intake.contracts.EventType;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.JsonSerde;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.StoredImage;
import dev.intake.contracts.SubmittedItem;
import dev.intake.contracts.Topics;
import dev.intake.status.events.EventSchemas;
import dev.intake.status.progress.BatchProgress;
import dev.intake.status.progress.BatchProgressTopology;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
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

import static org.assertj.core.api.Assertions.assertThat;

class AssetCatalogueTopologyTest {

	private static final Instant T = Instant.parse("2026-01-06T10:00:00Z");

	private TopologyTestDriver driver;

	private TestInputTopic<String, BatchRecord> batches;

	private TestInputTopic<String, ItemResult> results;

	private TestOutputTopic<String, Asset> assets;

	private KeyValueStore<String, Asset> store;

	@TempDir
	Path stateDir;

	@BeforeEach
	void startTopology() {
		StreamsBuilder builder = new StreamsBuilder();
		AssetCatalogueTopology.build(builder, BatchProgressTopology.build(builder), key -> "http://cdn.test/" + key);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "intake-status-test");
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		this.driver = new TopologyTestDriver(builder.build(), config);
		this.batches = driver.createInputTopic(Topics.BATCH_RECORDS.name(), Topics.BATCH_RECORDS.keySerde().serializer(),
				Topics.BATCH_RECORDS.valueSerde().serializer());
		this.results = driver.createInputTopic(Topics.RESULTS.name(), Topics.RESULTS.keySerde().serializer(),
				Topics.RESULTS.valueSerde().serializer());
		this.assets = driver.createOutputTopic(Topics.ASSETS.name(), Topics.ASSETS.keySerde().deserializer(),
				Topics.ASSETS.valueSerde().deserializer());
		this.store = driver.getKeyValueStore(AssetCatalogueTopology.STORE);
	}

	@AfterEach
	void stopTopology() {
		driver.close();
	}

	@Test
	void theFirstStoredFileOfAnAssetItemCreatesTheAsset() {
		BatchSubmitted batch = anUpload("up-1", "logo.png", new AssetLink(7, false, "anqicms", Map.of("category_id", "3")));
		submit(batch);
		report(storedAt(batch, 0, T));

		Asset asset = store.get(Asset.key("acme", 7));
		assertThat(asset.tenant()).isEqualTo("acme");
		assertThat(asset.id()).isEqualTo(7);
		assertThat(asset.api()).isEqualTo("anqicms");
		assertThat(asset.attributes()).containsExactlyEntriesOf(Map.of("category_id", "3"));
		assertThat(asset.originalName()).isEqualTo("logo.png");
		assertThat(asset.file()).isEqualTo(storedAt(batch, 0, T).image());
		assertThat(asset.createdAt()).isEqualTo(T);
		assertThat(asset.updatedAt()).isEqualTo(T);
		assertThat(asset.revision()).isEqualTo(1);
		assertThat(asset.batchId()).isEqualTo("up-1");
		var published = assets.readKeyValuesToList();
		assertThat(published).hasSize(1);
		assertThat(published.get(0).key).isEqualTo("acme/7");
		assertThat(published.get(0).value).isEqualTo(asset);
	}

	@Test
	void aDuplicateOrLaterResultOfTheItemDoesNotTouchTheAsset() {
		BatchSubmitted batch = anUpload("up-1", "logo.png", new AssetLink(7, false, "anqicms", Map.of()));
		submit(batch);
		report(storedAt(batch, 0, T));
		report(storedAt(batch, 0, T));
		report(storedAt(batch, 0, T.plusSeconds(5)));
		report(new ItemResult.ImageFailed("acme", "up-1", itemId(batch), 0, 1, "TOO_LARGE", "too large",
				T.plusSeconds(6)));
		submit(batch);

		assertThat(assets.readValuesToList()).hasSize(1);
		assertThat(store.get("acme/7").revision()).isEqualTo(1);
		assertThat(store.get("acme/7").updatedAt()).isEqualTo(T);
	}

	@Test
	void aResultBeforeItsUploadStillCreatesTheAssetOnce() {
		BatchSubmitted batch = anUpload("up-1", "logo.png", new AssetLink(7, false, "anqicms", Map.of()));
		report(storedAt(batch, 0, T));
		assertThat(store.get("acme/7")).as("the link is only known with the upload").isNull();

		submit(batch);
		report(storedAt(batch, 0, T));

		assertThat(assets.readValuesToList()).extracting(Asset::revision).containsExactly(1L);
	}

	@Test
	void aReplacementKeepsTheIdAndCreatedTimeAndMovesTheRestOn() {
		BatchSubmitted create = anUpload("up-1", "logo.png", new AssetLink(7, false, "anqicms", Map.of("category_id", "3")));
		BatchSubmitted replace = anUpload("up-2", "logo-v2.jpg", new AssetLink(7, true, "anqicms", Map.of("is_new", "0")));
		submit(create);
		report(storedAt(create, 0, T));
		submit(replace);
		report(storedAt(replace, 0, T.plusSeconds(60)));

		Asset asset = store.get("acme/7");
		assertThat(asset.id()).isEqualTo(7);
		assertThat(asset.createdAt()).isEqualTo(T);
		assertThat(asset.updatedAt()).isEqualTo(T.plusSeconds(60));
		assertThat(asset.revision()).isEqualTo(2);
		assertThat(asset.originalName()).isEqualTo("logo-v2.jpg");
		assertThat(asset.file()).isEqualTo(storedAt(replace, 0, T).image());
		assertThat(asset.batchId()).isEqualTo("up-2");
		assertThat(asset.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("category_id", "3", "is_new", "0"));
		assertThat(assets.readValuesToList()).extracting(Asset::revision).containsExactly(1L, 2L);
	}

	@Test
	void racingReplacementsCountBothAndTheUpdatedTimeNeverGoesBack() {
		BatchSubmitted create = anUpload("up-1", "a.png", new AssetLink(7, false, "anqicms", Map.of()));
		BatchSubmitted first = anUpload("up-2", "b.png", new AssetLink(7, true, "anqicms", Map.of()));
		BatchSubmitted second = anUpload("up-3", "c.png", new AssetLink(7, true, "anqicms", Map.of()));
		submit(create);
		report(storedAt(create, 0, T));
		submit(first);
		submit(second);
		// the later-processed replacement is applied first
		report(storedAt(first, 0, T.plusSeconds(120)));
		report(storedAt(second, 0, T.plusSeconds(60)));

		List<Asset> published = assets.readValuesToList();
		assertThat(published).extracting(Asset::revision).containsExactly(1L, 2L, 3L);
		assertThat(published).extracting(Asset::updatedAt)
			.containsExactly(T, T.plusSeconds(120), T.plusSeconds(120));
		assertThat(published).extracting(Asset::createdAt).containsOnly(T);
		Asset asset = store.get("acme/7");
		assertThat(asset).isEqualTo(published.get(2));
		assertThat(asset.originalName()).as("the file applied last").isEqualTo("c.png");
	}

	@Test
	void aFailedItemMakesNoAssetUntilARetryStoresIt() {
		BatchSubmitted batch = anUpload("up-1", "logo.png", new AssetLink(7, false, "anqicms", Map.of()));
		submit(batch);
		report(new ItemResult.ImageFailed("acme", "up-1", itemId(batch), 0, 1, "RETRIES_EXHAUSTED", "storage down",
				T));

		assertThat(store.get("acme/7")).isNull();
		assertThat(assets.isEmpty()).isTrue();

		batches.pipeInput(batch.key().toString(), new BatchRetried("acme", "up-1", 1, List.of(0), T.plusSeconds(1)));
		report(storedAt(batch, 0, T.plusSeconds(2), 2));

		assertThat(assets.readValuesToList()).extracting(Asset::revision).containsExactly(1L);
		assertThat(store.get("acme/7").createdAt()).isEqualTo(T.plusSeconds(2));
	}

	@Test
	void itemsWithoutALinkAndAssetsOfOtherTenantsAreKeptApart() {
		BatchKey key = new BatchKey("acme", "mixed");
		BatchSubmitted mixed = new BatchSubmitted("acme", "mixed", T,
				List.of(new SubmittedItem(0, ItemIds.of(key, 0), "plain.png", staged("acme", 0)),
						new SubmittedItem(1, ItemIds.of(key, 1), "linked.png", staged("acme", 1), null, null,
								new AssetLink(7, false, "inventorum", Map.of("type", "0")))));
		BatchSubmitted other = anUpload("globex", "up-1", "logo.png", new AssetLink(7, false, "anqicms", Map.of()));
		submit(mixed);
		submit(other);
		report(storedAt(mixed, 0, T));
		report(storedAt(mixed, 1, T));
		report(storedAt(other, 0, T));

		assertThat(assets.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("acme/7", "globex/7");
		assertThat(store.get("acme/7").originalName()).isEqualTo("linked.png");
		assertThat(store.get("acme/7").api()).isEqualTo("inventorum");
		assertThat(store.get("globex/7").api()).isEqualTo("anqicms");
	}

	@Test
	void theProgressStoreKeepsTheLinkAndBatchItemsStayWithoutOne() {
		BatchSubmitted upload = anUpload("up-1", "logo.png", new AssetLink(7, true, "anqicms", Map.of("category_id", "3")));
		BatchSubmitted batch = new BatchSubmitted("acme", "plain", T,
				List.of(new SubmittedItem(0, ItemIds.of(new BatchKey("acme", "plain"), 0), "plain.png", staged("acme", 0))));
		submit(upload);
		submit(batch);
		var progress = driver.<String, BatchProgress>getKeyValueStore(BatchProgressTopology.STORE);
		var serde = new JsonSerde<>(BatchProgress.class);

		BatchProgress linked = progress.get(upload.key().toString());
		assertThat(serde.deserialize("t", serde.serialize("t", linked))).isEqualTo(linked);
		assertThat(linked.items().get(0).asset()).isEqualTo(upload.items().get(0).asset());
		assertThat(new String(serde.serialize("t", progress.get(batch.key().toString())), StandardCharsets.UTF_8))
			.doesNotContain("\"asset\"");
	}

	@Test
	void eachRevisionIsOneAssetEventUnderTheAssetsKey() {
		BatchSubmitted create = anUpload("up-1", "logo.png", new AssetLink(7, false, "anqicms", Map.of("category_id", "3")));
		BatchSubmitted replace = anUpload("up-2", "logo-v2.jpg", new AssetLink(7, true, "anqicms", Map.of()));
		submit(create);
		report(storedAt(create, 0, T));
		report(storedAt(create, 0, T));
		submit(replace);
		report(storedAt(replace, 0, T.plusSeconds(60)));

		EventSchemas schemas = new EventSchemas();
		List<CloudEvent> published = new ArrayList<>();
		try (CloudEventDeserializer parser = new CloudEventDeserializer()) {
			for (TestRecord<String, byte[]> record : driver
				.createOutputTopic(Topics.EVENTS, new StringDeserializer(), new ByteArrayDeserializer())
				.readRecordsToList()) {
				if (record.key().equals("acme/7")) {
					CloudEvent event = parser.deserialize(Topics.EVENTS, record.headers(), record.value());
					assertThat(schemas.violations(event)).as("data of %s", event.getId()).isEmpty();
					published.add(event);
				}
			}
		}
		assertThat(published).extracting(CloudEvent::getType)
			.containsExactly(EventType.ASSET_CREATED.type(), EventType.ASSET_REPLACED.type());
		assertThat(published).extracting(CloudEvent::getId)
			.containsExactly("acme/assets/7/revision-1", "acme/assets/7/revision-2");
		assertThat(published).extracting(event -> event.getExtension("tenant")).containsOnly("acme");
		assertThat(published.get(1).getTime().toInstant()).isEqualTo(T.plusSeconds(60));
		JsonNode replaced = JsonMapper.builder().build().readTree(published.get(1).getData().toBytes());
		assertThat(replaced.get("assetId").asLong()).isEqualTo(7);
		assertThat(replaced.get("revision").asLong()).isEqualTo(2);
		assertThat(replaced.get("name").asString()).isEqualTo("logo-v2.jpg");
		assertThat(replaced.get("file").get("url").asString())
			.isEqualTo("http://cdn.test/" + storedAt(replace, 0, T).image().key());
	}

	private void submit(BatchSubmitted batch) {
		batches.pipeInput(batch.key().toString(), batch);
	}

	private void report(ItemResult result) {
		results.pipeInput(result.batchKey().toString(), result);
	}

	private static BatchSubmitted anUpload(String batchId, String name, AssetLink link) {
		return anUpload("acme", batchId, name, link);
	}

	/** A single-file upload: one staged item linked to an asset. */
	static BatchSubmitted anUpload(String tenant, String batchId, String name, AssetLink link) {
		BatchKey key = new BatchKey(tenant, batchId);
		return new BatchSubmitted(tenant, batchId, T,
				List.of(new SubmittedItem(0, ItemIds.of(key, 0), name, staged(tenant, 0), null, null, link)));
	}

	private static ItemSource staged(String tenant, int index) {
		return new ItemSource.Staged(new BlobRef("intake", ObjectKeys.staged(tenant, "up", index), 100, "image/png"),
				"file-" + index);
	}

	private static String itemId(BatchSubmitted batch) {
		return ItemIds.of(batch.key(), 0);
	}

	static ItemResult.ImageStored storedAt(BatchSubmitted batch, int index, Instant processedAt) {
		return storedAt(batch, index, processedAt, 1);
	}

	static ItemResult.ImageStored storedAt(BatchSubmitted batch, int index, Instant processedAt, int attempt) {
		// content follows the batch, so each upload stores different bytes
		String sha256 = String.format("%064x", Math.abs((batch.batchId() + index).hashCode()));
		StoredImage image = new StoredImage("intake", ObjectKeys.original(batch.tenant(), sha256, ImageFormat.PNG), 2048,
				"image/png", ImageFormat.PNG, sha256.substring(0, 32), sha256, 640, 480);
		return new ItemResult.ImageStored(batch.tenant(), batch.batchId(), ItemIds.of(batch.key(), index), index,
				attempt, image, processedAt);
	}

}
