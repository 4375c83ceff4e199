package dev.intake.worker.ingest;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.IngestOptions;
import dev.intake.contracts.ItemError;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.ItemResult.ImageStored;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.Rendition;
import dev.intake.contracts.Topics;
import dev.intake.testsupport.S3ProxyFixture;
import dev.intake.testsupport.TestImages;
import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.PixelLimit;
import dev.intake.worker.imaging.rendition.RenditionFormat;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.imaging.rendition.RenditionSpec;
import dev.intake.worker.ingest.inspect.ImageInspector;
import dev.intake.worker.ingest.inspect.RenditionProfiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * File-service versions checked where they are stored ({@link ItemSource.Vault}), through
 * {@link ImageIngestion} against a real (embedded) S3 server: measured and rendered privately,
 * the outcome recorded beside the version before it is published, the version's object never
 * copied or deleted, and sources outside the job tenant's versions refused.
 */
class VaultIngestionTest {

	private static final String BUCKET = "intake";

	private static final Instant NOW = Instant.parse("2026-01-06T10:00:00Z");

	// no test here is about the decode deadline: it only stops a hung run, so a busy machine never meets it
	private static final DecodePool decodePool = new DecodePool(2, Duration.ofSeconds(60));

	private static S3ProxyFixture s3;

	private static S3Client workerClient;

	@TempDir
	Path tempDir;

	private final List<ItemResult> published = new ArrayList<>();

	private final List<Boolean> outcomeRecordedAtPublish = new ArrayList<>();

	@BeforeAll
	static void startS3() throws Exception {
		s3 = S3ProxyFixture.start().withBucket(BUCKET);
		workerClient = s3.newWorkerClient();
	}

	@AfterAll
	static void stopS3() throws Exception {
		workerClient.close();
		s3.close();
	}

	@Test
	void aPngVersionIsMeasuredAndRenderedInPlaceAndItsOutcomeRecordedBeforeItIsPublished() {
		byte[] png = TestImages.png(64, 48);
		IngestImage job = versionJob("acme", "private", png);
		ItemSource.Vault source = (ItemSource.Vault) job.source();

		ItemResult result = ingestion().ingest(job);

		assertThat(result).isInstanceOf(ImageStored.class);
		var image = ((ImageStored) result).image();
		assertThat(image.key()).isEqualTo(source.blob().key());
		assertThat(image.format()).isEqualTo(ImageFormat.PNG);
		assertThat(image.width()).isEqualTo(64);
		assertThat(image.height()).isEqualTo(48);
		assertThat(image.frames()).isEqualTo(1);
		assertThat(image.duplicate()).isFalse();
		assertThat(image.renditions()).extracting(Rendition::name).containsExactly("thumb");
		Rendition thumb = image.renditions().get(0);
		assertThat(thumb.key()).isEqualTo(ObjectKeys.vaultRendition("acme", "private", source.handle(), "thumb", "jpg"));
		assertThat(s3.exists(BUCKET, thumb.key())).isTrue();
		assertThat(published).containsExactly(result);
		assertThat(outcomeRecordedAtPublish).containsExactly(true);
		assertThat(outcome("acme", source.handle())).isEqualTo(result);
		// the version's object stays where it is, and nothing public is made of it
		assertThat(s3.exists(BUCKET, source.blob().key())).isTrue();
		assertThat(keys(ObjectKeys.IMAGES_PREFIX + "acme/")).isEmpty();
		assertThat(tempDir).isEmptyDirectory();
	}

	@Test
	void bytesThatFailTheImageChecksAreAFailureRecordedBesideTheVersionWhichStays() {
		IngestImage job = versionJob("acme", "public", TestImages.pngClaiming(100_000, 100_000));
		ItemSource.Vault source = (ItemSource.Vault) job.source();

		ItemResult result = ingestion().ingest(job);

		assertThat(result).isInstanceOf(ImageFailed.class);
		assertThat(((ImageFailed) result).code()).isEqualTo(ItemError.TOO_MANY_PIXELS.name());
		assertThat(outcome("acme", source.handle())).isEqualTo(result);
		assertThat(s3.exists(BUCKET, source.blob().key())).isTrue();
		assertThat(keys(ObjectKeys.vaultRenditions("acme", "public", source.handle()))).isEmpty();
	}

	@Test
	void aVersionWhoseObjectIsGoneIsASourceMissingFailure() {
		String handle = UUID.randomUUID().toString();
		IngestImage job = job("acme", new ItemSource.Vault(
				new BlobRef(BUCKET, ObjectKeys.vaultFile("acme", "private", handle, "png"), 10, "image/png"), "gone.png",
				"private", handle));

		ItemResult result = ingestion().ingest(job);

		assertThat(((ImageFailed) result).code()).isEqualTo(ItemError.SOURCE_MISSING.name());
		assertThat(outcome("acme", handle)).isEqualTo(result);
	}

	@Test
	void sourcesOutsideTheJobTenantsVersionsAreRefusedAndNothingIsWritten() {
		byte[] png = TestImages.png(8, 8);
		String handle = UUID.randomUUID().toString();
		String othersKey = ObjectKeys.vaultFile("other", "private", handle, "png");
		s3.put(BUCKET, othersKey, png);
		String staged = ObjectKeys.staged("acme", "upload-1", 0);
		s3.put(BUCKET, staged, png);
		List<ItemSource.Vault> refused = List.of(
				new ItemSource.Vault(new BlobRef(BUCKET, othersKey, png.length, "image/png"), "x.png", "private", handle),
				new ItemSource.Vault(new BlobRef(BUCKET, staged, png.length, "image/png"), "x.png", "private", handle),
				new ItemSource.Vault(new BlobRef(BUCKET, ObjectKeys.vaultFile("acme", "private", handle, "png"),
						png.length, "image/png"), "x.png", "public", handle),
				new ItemSource.Vault(new BlobRef("elsewhere", ObjectKeys.vaultFile("acme", "private", handle, "png"),
						png.length, "image/png"), "x.png", "private", handle),
				new ItemSource.Vault(new BlobRef(BUCKET, ObjectKeys.vaultFile("acme", "private", "../x", "png"),
						png.length, "image/png"), "x.png", "private", "../x"));

		for (ItemSource.Vault source : refused) {
			assertThatExceptionOfType(InvalidJobException.class).as(source.toString())
				.isThrownBy(() -> ingestion().ingest(job("acme", source)));
		}
		assertThat(published).isEmpty();
		assertThat(keys(ObjectKeys.VAULT_IMAGES_PREFIX + "acme/" + handle)).isEmpty();
	}

	@Test
	void aDeadLetteredVersionsFailureIsRecordedAndOtherJobsAreLeftAlone() {
		IngestImage job = versionJob("acme", "private", TestImages.png(8, 8));
		String handle = ((ItemSource.Vault) job.source()).handle();
		ImageFailed failed = ItemFailures.processingFailed(job, NOW);

		ingestion().recordFailure(job, failed);
		ingestion().recordFailure(job("acme", new ItemSource.Remote("https://images.example/a.png")),
				ItemFailures.processingFailed(job, NOW));

		assertThat(outcome("acme", handle)).isEqualTo(failed);
		assertThat(keys(ObjectKeys.VAULT_IMAGES_PREFIX + "acme/")).containsExactly(ObjectKeys.vaultImage("acme", handle));
	}

	private ImageIngestion ingestion() {
		ImageInspector inspector = new ImageInspector(new DimensionReader(), new PixelLimit(50_000_000, 16384), 100,
				decodePool, new RenditionMaker(RenditionFormat.JPEG, 0.8f), RenditionProfiles.only(
						List.of(RenditionSpec.parse("thumb:32"))), Set.of(), null);
		ResultPublisher results = result -> {
			published.add(result);
			outcomeRecordedAtPublish.add(s3.exists(BUCKET, ObjectKeys.vaultImage(result.tenant(),
					result.batchId().substring("vault-".length()))));
		};
		return new ImageIngestion(new ImageStore(workerClient, BUCKET), inspector, results, null, 10 * 1024 * 1024,
				tempDir, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static IngestImage versionJob(String tenant, String acl, byte[] bytes) {
		String handle = UUID.randomUUID().toString();
		String key = ObjectKeys.vaultFile(tenant, acl, handle, "png");
		s3.put(BUCKET, key, bytes);
		return job(tenant, new ItemSource.Vault(new BlobRef(BUCKET, key, bytes.length, "image/png"), "photo.png", acl,
				handle));
	}

	private static IngestImage job(String tenant, ItemSource source) {
		String handle = (source instanceof ItemSource.Vault vault && vault.handle() != null
				&& vault.handle().matches("[0-9a-f-]{36}")) ? vault.handle() : UUID.randomUUID().toString();
		String batchId = "vault-" + handle;
		return new IngestImage(tenant, batchId, tenant + "/" + batchId + "/0", 0, "photo.png", source, 1,
				IngestOptions.DEFAULT);
	}

	private static ItemResult outcome(String tenant, String handle) {
		byte[] bytes = s3.client()
			.getObjectAsBytes(get -> get.bucket(BUCKET).key(ObjectKeys.vaultImage(tenant, handle)))
			.asByteArray();
		return Topics.RESULTS.valueSerde().deserializer().deserialize(Topics.RESULTS.name(), bytes);
	}

	private static List<String> keys(String prefix) {
		return s3.client()
			.listObjectsV2Paginator(list -> list.bucket(BUCKET).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

}
