package dev.intake.worker.ingest;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.ItemResult.ImageStored;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.StoredImage;
import dev.intake.worker.S3ProxyFixture;
import dev.intake.worker.TestImages;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.PixelLimit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link ImageIngestion} against a real (embedded) S3 server; results go to a recording publisher. */
class ImageIngestionTest {

	private static final String BUCKET = "intake";

	private static final Instant NOW = Instant.parse("2026-01-06T10:00:00Z");

	private static final AtomicInteger uploads = new AtomicInteger();

	private static S3ProxyFixture s3;

	private static S3Client workerClient;

	@TempDir
	Path tempDir;

	private final RecordingPublisher published = new RecordingPublisher();

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
	void storesAPngUnderItsContentDerivedKeyThenPublishesThenDropsTheStagedObject() throws Exception {
		byte[] png = TestImages.png(64, 48);
		IngestImage job = stagedJob("acme", png, "holiday.jpg");

		ItemResult result = ingestion().ingest(job);

		String sha256 = hex("SHA-256", png);
		String key = "images/acme/" + sha256 + ".png";
		assertThat(result).isInstanceOf(ImageStored.class);
		ImageStored stored = (ImageStored) result;
		assertThat(stored.image()).isEqualTo(new StoredImage(BUCKET, key, png.length, "image/png", ImageFormat.PNG,
				hex("MD5", png), sha256, 64, 48));
		assertThat(stored).extracting(ImageStored::tenant, ImageStored::batchId, ImageStored::itemId,
				ImageStored::index, ImageStored::attempt, ImageStored::processedAt)
			.containsExactly("acme", job.batchId(), job.itemId(), job.index(), 1, NOW);

		ResponseBytes<GetObjectResponse> original = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
		assertThat(original.asByteArray()).isEqualTo(png);
		assertThat(original.response().contentType()).isEqualTo("image/png");

		assertThat(published.results).containsExactly(result);
		assertThat(published.stagedExistedAtPublish).containsExactly(true);
		assertThat(published.originalExistedAtPublish).containsExactly(true);
		assertThat(s3.exists(BUCKET, staged(job).key())).isFalse();
		assertThat(tempDir).isEmptyDirectory();
	}

	@Test
	void ingestingTheSameBytesAgainIsIdempotentAndStoresThemOnce() throws Exception {
		byte[] gif = TestImages.gif(20, 10);
		IngestImage first = stagedJob("dedup", gif, "a.gif");
		IngestImage redelivered = first;
		IngestImage otherItem = stagedJob("dedup", gif, "b.gif");

		ImageStored one = (ImageStored) ingestion().ingest(first);
		s3.put(BUCKET, staged(redelivered).key(), gif);
		ImageStored again = (ImageStored) ingestion().ingest(redelivered);
		ImageStored other = (ImageStored) ingestion().ingest(otherItem);

		assertThat(again).isEqualTo(one);
		assertThat(other.image()).isEqualTo(one.image());
		assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("images/dedup/")).contents())
			.singleElement()
			.satisfies(object -> assertThat(object.key()).isEqualTo(one.image().key()));
	}

	@Test
	void theBytesDecideTheFormatWhateverTheName() throws Exception {
		byte[] svg = TestImages.svg("width=\"300\" height=\"150\"");
		ImageStored stored = (ImageStored) ingestion().ingest(stagedJob("fmt", svg, "picture.png"));
		assertThat(stored.image().format()).isEqualTo(ImageFormat.SVG);
		assertThat(stored.image().key()).endsWith(".svg");
		assertThat(s3.client().headObject(b -> b.bucket(BUCKET).key(stored.image().key())).contentType())
			.isEqualTo("image/svg+xml");
		assertThat(stored.image()).extracting(StoredImage::width, StoredImage::height).containsExactly(300, 150);

		ImageStored ico = (ImageStored) ingestion().ingest(stagedJob("fmt", TestImages.ico(32, 32), "favicon.png"));
		assertThat(ico.image().contentType()).isEqualTo("image/vnd.microsoft.icon");
	}

	@Test
	void aCorruptImageFailsAndIsNotStored() throws Exception {
		byte[] truncated = Arrays.copyOf(TestImages.png(64, 64), 20);
		IngestImage job = stagedJob("corrupt", truncated, "broken.png");

		ImageFailed failed = (ImageFailed) ingestion().ingest(job);

		assertThat(failed.code()).isEqualTo("CORRUPT_IMAGE");
		assertThat(failed.message()).isEqualTo("The file 'broken.png' is not a valid PNG image.");
		assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("images/corrupt/")).contents()).isEmpty();
		assertThat(published.results).containsExactly(failed);
		assertThat(s3.exists(BUCKET, staged(job).key())).isFalse();
	}

	@Test
	void aPdfIsNotASupportedFormat() throws Exception {
		ImageFailed failed = (ImageFailed) ingestion().ingest(stagedJob("pdf", TestImages.pdf(), "scan.jpg"));
		assertThat(failed.code()).isEqualTo("UNSUPPORTED_FORMAT");
		assertThat(failed.message()).isEqualTo("The file 'scan.jpg' is not a supported image format.");
	}

	@Test
	void aMissingStagedObjectFailsTheItem() throws Exception {
		IngestImage job = job("gone", 0, new ItemSource.Staged(
				new BlobRef(BUCKET, ObjectKeys.staged("gone", "expired", 0), 10, "image/png"), "old.png"));
		ImageFailed failed = (ImageFailed) ingestion().ingest(job);
		assertThat(failed.code()).isEqualTo("SOURCE_MISSING");
		assertThat(failed.message()).isEqualTo("The uploaded file 'old.png' is no longer available. Please upload it again.");
	}

	@Test
	void anImageOverTheSizeLimitFailsWithTheSeedsWording() throws Exception {
		byte[] big = new byte[3 * 1024 * 1024 / 2];
		big[0] = (byte) 0xFF;
		ImageFailed failed = (ImageFailed) ingestion(1024 * 1024).ingest(stagedJob("big", big, "large_photo.jpg"));
		assertThat(failed.code()).isEqualTo("TOO_LARGE");
		assertThat(failed.message()).isEqualTo("Image size is 1.50MB, exceeds the maximum limit of 1MB.");
	}

	@Test
	void aPixelBombIsRefusedFromItsHeader() throws Exception {
		ImageFailed failed = (ImageFailed) ingestion()
			.ingest(stagedJob("bomb", TestImages.pngClaiming(30000, 30000), "bomb.png"));
		assertThat(failed.code()).isEqualTo("TOO_MANY_PIXELS");
		ImageFailed wide = (ImageFailed) ingestion()
			.ingest(stagedJob("bomb", TestImages.pngClaiming(20000, 10), "wide.png"));
		assertThat(wide.code()).isEqualTo("TOO_MANY_PIXELS");
		assertThat(wide.message()).contains("16384 pixels per side");
	}

	@Test
	void urlItemsFailUntilFetchingIsEnabled() {
		ImageFailed failed = (ImageFailed) ingestion()
			.ingest(job("url", 3, new ItemSource.Remote("http://169.254.169.254/latest/meta-data")));
		assertThat(failed.code()).isEqualTo("FETCH_FAILED");
		assertThat(failed.message()).isEqualTo("Fetching images from URLs is not enabled on this worker.");
		assertThat(published.results).containsExactly(failed);
	}

	@Test
	void aJobCannotReadAnotherTenantsStagedObject() throws Exception {
		IngestImage theirs = stagedJob("victim", TestImages.png(2, 2), "secret.png");
		IngestImage forged = job("attacker", 0, theirs.source());
		assertThatExceptionOfType(InvalidJobException.class).isThrownBy(() -> ingestion().ingest(forged));
		assertThat(published.results).isEmpty();
		assertThat(s3.exists(BUCKET, staged(theirs).key())).isTrue();
	}

	@Test
	void whenTheResultCannotBePublishedTheStagedObjectStaysForTheRetry() throws Exception {
		IngestImage job = stagedJob("retry", TestImages.png(3, 3), "a.png");
		ResultPublisher down = result -> {
			throw new TransientFailure("broker down", null);
		};
		ImageIngestion ingestion = new ImageIngestion(new ImageStore(workerClient, BUCKET), inspector(), down,
				10 * 1024 * 1024, tempDir, Clock.fixed(NOW, ZoneOffset.UTC));
		assertThatExceptionOfType(TransientFailure.class).isThrownBy(() -> ingestion.ingest(job));
		assertThat(s3.exists(BUCKET, staged(job).key())).isTrue();

		assertThat(ingestion().ingest(job)).isInstanceOf(ImageStored.class);
	}

	private ImageIngestion ingestion() {
		return ingestion(10 * 1024 * 1024);
	}

	private ImageIngestion ingestion(long maxImageSize) {
		return new ImageIngestion(new ImageStore(workerClient, BUCKET), inspector(), published, maxImageSize, tempDir,
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static ImageInspector inspector() {
		return new ImageInspector(new DimensionReader(), new PixelLimit(50_000_000, 16384));
	}

	private static IngestImage stagedJob(String tenant, byte[] bytes, String filename) {
		int upload = uploads.incrementAndGet();
		String key = ObjectKeys.staged(tenant, "upload-" + upload, 0);
		s3.put(BUCKET, key, bytes);
		return job(tenant, upload, new ItemSource.Staged(new BlobRef(BUCKET, key, bytes.length, "image/jpeg"), filename));
	}

	private static IngestImage job(String tenant, int index, ItemSource source) {
		String batchId = "batch-" + index;
		return new IngestImage(tenant, batchId, tenant + "/" + batchId + "/" + index, index, "item-" + index, source, 1);
	}

	private static BlobRef staged(IngestImage job) {
		return ((ItemSource.Staged) job.source()).blob();
	}

	private static String hex(String algorithm, byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
	}

	/** Records each result with what S3 held at the moment it was published. */
	private static final class RecordingPublisher implements ResultPublisher {

		final List<ItemResult> results = new ArrayList<>();

		final List<Boolean> stagedExistedAtPublish = new ArrayList<>();

		final List<Boolean> originalExistedAtPublish = new ArrayList<>();

		@Override
		public void publish(ItemResult result) {
			results.add(result);
			if (result instanceof ImageStored stored) {
				originalExistedAtPublish.add(s3.exists(BUCKET, stored.image().key()));
				// the staged key is staging/{tenant}/upload-{index}/0 in this test
				stagedExistedAtPublish
					.add(s3.exists(BUCKET, ObjectKeys.staged(stored.tenant(), "upload-" + stored.index(), 0)));
			}
		}

	}

}
