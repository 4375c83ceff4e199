package dev.intake.worker.ingest;

import java.io.OutputStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.intake.contracts.BlobRef;
import dev.intake.contracts.DocumentFormat;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.IngestOptions;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.contracts.ItemResult.ImageStored;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.Rendition;
import dev.intake.contracts.StoredImage;
import dev.intake.testsupport.HostileImages;
import dev.intake.testsupport.LoopbackOrigin;
import dev.intake.testsupport.S3ProxyFixture;
import dev.intake.testsupport.TestImages;
import dev.intake.worker.TestDocuments;
import dev.intake.worker.fetch.FetchProperties;
import dev.intake.worker.fetch.RemoteFetcher;
import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.FormatSniffer;
import dev.intake.worker.imaging.PixelLimit;
import dev.intake.worker.imaging.rendition.RenditionFormat;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.imaging.rendition.RenditionSpec;
import dev.intake.worker.ingest.inspect.ImageInspector;
import dev.intake.worker.ingest.inspect.RenditionProfiles;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

	private static LoopbackOrigin origin;

	private static RemoteFetcher fetcher;

	// no test here is about deadlines: they only stop a hung run, so a busy machine never meets them
	private static final DecodePool decodePool = new DecodePool(2, Duration.ofSeconds(60));

	@BeforeAll
	static void startS3() throws Exception {
		s3 = S3ProxyFixture.start().withBucket(BUCKET);
		workerClient = s3.newWorkerClient();
		origin = LoopbackOrigin.start();
		fetcher = new RemoteFetcher(new FetchProperties(true, Set.of(80, 443, origin.port()), Duration.ofSeconds(30),
				Duration.ofSeconds(30), Duration.ofSeconds(60), 3, 4, 2, 2048), host -> {
					throw new UnknownHostException("tests resolve no names");
				});
	}

	@AfterAll
	static void stopS3() throws Exception {
		workerClient.close();
		s3.close();
		fetcher.close();
		origin.close();
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

		// a redelivery of the same item is not a duplicate; another item with the same bytes is
		assertThat(again).isEqualTo(one);
		assertThat(one.image().duplicate()).isFalse();
		assertThat(other.image().duplicate()).isTrue();
		assertThat(other.image().key()).isEqualTo(one.image().key());
		assertThat(other.image().sha256()).isEqualTo(one.image().sha256());
		assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("images/dedup/")).contents())
			.singleElement()
			.satisfies(object -> assertThat(object.key()).isEqualTo(one.image().key()));
	}

	@Test
	void renditionsAreStoredBesideTheOriginalAsDisplayedAndListed() throws Exception {
		byte[] jpeg = HostileImages.jpegWithOrientation(
				new java.awt.image.BufferedImage(600, 300, java.awt.image.BufferedImage.TYPE_INT_RGB), 6);
		ImageIngestion ingestion = new ImageIngestion(new ImageStore(workerClient, BUCKET),
				inspector(List.of(new RenditionSpec("thumb", 256), new RenditionSpec("preview", 1024))), published,
				fetcher, 10 * 1024 * 1024, tempDir, Clock.fixed(NOW, ZoneOffset.UTC));

		ImageStored stored = (ImageStored) ingestion.ingest(stagedJob("rend", jpeg, "photo.jpg"));

		String sha256 = hex("SHA-256", jpeg);
		assertThat(stored.image()).extracting(StoredImage::width, StoredImage::height, StoredImage::frames,
				StoredImage::duplicate).containsExactly(300, 600, 1, false);
		assertThat(stored.image().renditions()).extracting(Rendition::name, Rendition::key, Rendition::contentType,
				Rendition::width, Rendition::height)
			.containsExactly(
					org.assertj.core.groups.Tuple.tuple("thumb", "images/rend/" + sha256 + "/thumb.jpg", "image/jpeg",
							128, 256),
					org.assertj.core.groups.Tuple.tuple("preview", "images/rend/" + sha256 + "/preview.jpg",
							"image/jpeg", 300, 600));
		for (Rendition rendition : stored.image().renditions()) {
			ResponseBytes<GetObjectResponse> object = s3.client()
				.getObjectAsBytes(b -> b.bucket(BUCKET).key(rendition.key()));
			assertThat(object.response().contentType()).isEqualTo("image/jpeg");
			assertThat((long) object.asByteArray().length).isEqualTo(rendition.size());
			assertThat(FormatSniffer.sniff(object.asByteArray())).contains(ImageFormat.JPEG);
		}
		ImageStored svg = (ImageStored) ingestion
			.ingest(stagedJob("rend", TestImages.svg("width=\"30\" height=\"20\""), "logo.svg"));
		assertThat(svg.image().renditions()).isEmpty();
	}

	@Test
	void anUploadStaysWhereTheApiWroteItAndIsReportedAsACandidate() throws Exception {
		byte[] png = TestImages.png(64, 48);
		IngestImage job = uploadJob("once", png, "holiday.jpg");
		String object = staged(job).key();

		ImageStored candidate = (ImageStored) ingestion().ingest(job);

		String sha256 = hex("SHA-256", png);
		assertThat(candidate.isCandidate()).isTrue();
		assertThat(candidate.contentKey()).isEqualTo("once/" + sha256);
		assertThat(candidate.image()).isEqualTo(new StoredImage(BUCKET, "images/once/" + sha256 + ".png", png.length,
				"image/png", ImageFormat.PNG, hex("MD5", png), sha256, 64, 48, 1, List.of(), false, null, object));
		// no copy to the public key, and the upload is kept: it is the stored object
		assertThat(s3.exists(BUCKET, candidate.image().key())).isFalse();
		assertThat(s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(object)).asByteArray()).isEqualTo(png);
		assertThat(published.results).containsExactly(candidate);

		// redelivered: the same candidate again, for the index to answer the same
		assertThat(ingestion().ingest(job)).isEqualTo(candidate);
		assertThat(s3.exists(BUCKET, object)).isTrue();
	}

	@Test
	void aRejectedUploadIsDeletedOnceItsResultIsPublishedAndARedeliveryFindsItGone() throws Exception {
		IngestImage job = uploadJob("once", "not an image at all".getBytes(StandardCharsets.UTF_8), "x.png");

		ImageFailed failed = (ImageFailed) ingestion().ingest(job);
		assertThat(failed.code()).isEqualTo("UNSUPPORTED_FORMAT");
		assertThat(s3.exists(BUCKET, staged(job).key())).isFalse();

		// its verdict is durable: the status view ignores what a redelivery reports for it
		ImageFailed again = (ImageFailed) ingestion().ingest(job);
		assertThat(again.code()).isEqualTo("SOURCE_MISSING");
	}

	@Test
	void aJobCannotReadAnotherTenantsUpload() throws Exception {
		IngestImage theirs = uploadJob("victim", TestImages.png(4, 4), "a.png");
		IngestImage forged = job("attacker", 5, new ItemSource.Staged(staged(theirs), "a.png"));
		assertThatThrownBy(() -> ingestion().ingest(forged)).isInstanceOf(InvalidJobException.class);
		assertThat(s3.exists(BUCKET, staged(theirs).key())).isTrue();
	}

	@Test
	void aUrlItemIsWrittenOnceToAnUploadOfItsOwnAndReportedAsACandidate() throws Exception {
		byte[] png = TestImages.png(12, 12);
		origin.route("/same.png", LoopbackOrigin.answer(200, png));

		ImageStored first = (ImageStored) ingestion().ingest(urlJob("dupe", 77, origin.url("/same.png")));
		ImageStored again = (ImageStored) ingestion().ingest(urlJob("dupe", 77, origin.url("/same.png")));

		assertThat(first.isCandidate()).isTrue();
		assertThat(first.image().object()).startsWith(ObjectKeys.uploadHour(NOW) + "dupe/url-").endsWith("/77");
		assertThat(s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(first.image().object())).asByteArray())
			.isEqualTo(png);
		// each fetch has its own object: bytes an index entry names are never rewritten
		assertThat(again.image().object()).isNotEqualTo(first.image().object());
		assertThat(again.image().key()).isEqualTo(first.image().key());
	}

	@Test
	void theBytesDecideTheFormatWhateverTheName() throws Exception {
		byte[] svg = TestImages.svg("width=\"300\" height=\"150\"");
		ImageStored stored = (ImageStored) ingestion().ingest(stagedJob("fmt", svg, "picture.png"));
		assertThat(stored.image().format()).isEqualTo(ImageFormat.SVG);
		assertThat(stored.image().key()).endsWith(".svg");
		assertThat(s3.client().headObject(b -> b.bucket(BUCKET).key(stored.image().key())))
			.satisfies(head -> assertThat(head.contentType()).isEqualTo("image/svg+xml"))
			.satisfies(head -> assertThat(head.contentDisposition()).isEqualTo("attachment"));
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
	void aUrlItemIsFetchedCheckedAndStoredLikeAnUpload() throws Exception {
		byte[] png = TestImages.png(40, 30);
		origin.route("/photo", LoopbackOrigin.answer(200, png, "Content-Type", "text/html"));
		ImageStored stored = (ImageStored) ingestion().ingest(urlJob("remote", 1, origin.url("/photo")));
		String key = "images/remote/" + hex("SHA-256", png) + ".png";
		assertThat(stored.image()).isEqualTo(new StoredImage(BUCKET, key, png.length, "image/png", ImageFormat.PNG,
				hex("MD5", png), hex("SHA-256", png), 40, 30, 1, List.of(), false, null, stored.image().object()));
		ResponseBytes<GetObjectResponse> object = s3.client()
			.getObjectAsBytes(b -> b.bucket(BUCKET).key(stored.image().object()));
		assertThat(object.asByteArray()).isEqualTo(png);
		assertThat(object.response().contentType()).isEqualTo("image/png");
		assertThat(published.results).containsExactly(stored);
		assertThat(tempDir).isEmptyDirectory();
	}

	@Test
	void aUrlToTheMetadataServiceIsRefusedWithoutConnecting() {
		ImageFailed failed = (ImageFailed) ingestion()
			.ingest(urlJob("url", 3, "http://169.254.169.254/latest/meta-data"));
		assertThat(failed.code()).isEqualTo("URL_REFUSED");
		assertThat(failed.message())
			.isEqualTo("The URL is not allowed: its host points to a non-public address (link-local).");
		ImageFailed decimal = (ImageFailed) ingestion().ingest(urlJob("url", 4, "http://2130706433/a.png"));
		assertThat(decimal.code()).isEqualTo("URL_REFUSED");
		assertThat(decimal.message()).isEqualTo(
				"The URL is not allowed: numeric host names must be written as four decimal numbers (a.b.c.d).");
		assertThat(published.results).containsExactly(failed, decimal);
	}

	@Test
	void aUrlDeclaringMoreThanTheLimitFailsAtOnceWithTheSeedsWording() throws Exception {
		origin.route("/huge", exchange -> {
			exchange.sendResponseHeaders(200, 15L * 1024 * 1024);
			exchange.getResponseBody().write(new byte[1024]);
		});
		ImageFailed failed = (ImageFailed) ingestion().ingest(urlJob("url", 5, origin.url("/huge")));
		assertThat(failed.code()).isEqualTo("TOO_LARGE");
		assertThat(failed.message()).isEqualTo("Image size from URL is 15.00MB, exceeds the maximum limit of 10MB.");
	}

	@Test
	void anEndlessUrlBodyIsCountedAndCutAtTheLimit() throws Exception {
		byte[] chunk = new byte[64 * 1024];
		chunk[0] = (byte) 0xFF;
		origin.route("/endless", exchange -> {
			exchange.sendResponseHeaders(200, 0);
			OutputStream out = exchange.getResponseBody();
			for (int i = 0; i < 100_000; i++) {
				out.write(chunk);
			}
		});
		ImageFailed failed = (ImageFailed) ingestion(1024 * 1024).ingest(urlJob("url", 6, origin.url("/endless")));
		assertThat(failed.code()).isEqualTo("TOO_LARGE");
		assertThat(failed.message()).startsWith("Image size from URL is 1.0").endsWith("exceeds the maximum limit of 1MB.");
		assertThat(tempDir).isEmptyDirectory();
	}

	@Test
	void aUrlAnsweringWithSomethingElseFailsByItsBytes() throws Exception {
		origin.route("/page", LoopbackOrigin.answer(200, "<html>login</html>".getBytes(), "Content-Type", "image/png"))
			.route("/gone", LoopbackOrigin.answer(404, new byte[0]))
			.route("/busy", LoopbackOrigin.answer(503, new byte[0]));
		ImageFailed page = (ImageFailed) ingestion().ingest(urlJob("url", 7, origin.url("/page")));
		assertThat(page.code()).isEqualTo("UNSUPPORTED_FORMAT");
		ImageFailed gone = (ImageFailed) ingestion().ingest(urlJob("url", 8, origin.url("/gone")));
		assertThat(gone.code()).isEqualTo("FETCH_FAILED");
		assertThat(gone.message()).isEqualTo("The image could not be fetched from the URL: the server answered HTTP 404.");
		assertThatExceptionOfType(TransientFailure.class)
			.isThrownBy(() -> ingestion().ingest(urlJob("url", 9, origin.url("/busy"))));
		assertThat(published.results).containsExactly(page, gone);
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
		ImageIngestion ingestion = new ImageIngestion(new ImageStore(workerClient, BUCKET), inspector(), down, fetcher,
				10 * 1024 * 1024, tempDir, Clock.fixed(NOW, ZoneOffset.UTC));
		assertThatExceptionOfType(TransientFailure.class).isThrownBy(() -> ingestion.ingest(job));
		assertThat(s3.exists(BUCKET, staged(job).key())).isTrue();

		assertThat(ingestion().ingest(job)).isInstanceOf(ImageStored.class);
	}

	@Test
	void eachBuiltInProfileMakesItsRenditionsOfOneDecode() throws Exception {
		byte[] jpeg = TestImages.jpeg(2000, 1000);
		String sha256 = hex("SHA-256", jpeg);
		ImageIngestion ingestion = ingestion(EnumSet.noneOf(DocumentFormat.class));

		ImageStored batch = (ImageStored) ingestion.ingest(stagedJob("prof", jpeg, "a.jpg", IngestOptions.DEFAULT));
		ImageStored anqicms = (ImageStored) ingestion
			.ingest(stagedJob("prof", jpeg, "b.jpg", new IngestOptions("anqicms", false)));
		ImageStored inventorum = (ImageStored) ingestion
			.ingest(stagedJob("prof", jpeg, "c.jpg", new IngestOptions("inventorum", false)));

		assertThat(batch.image().renditions()).extracting(Rendition::name, Rendition::width, Rendition::height)
			.containsExactly(Tuple.tuple("thumb", 256, 128), Tuple.tuple("preview", 1024, 512));
		assertThat(anqicms.image().renditions()).extracting(Rendition::name, Rendition::width, Rendition::height)
			.containsExactly(Tuple.tuple("thumb", 240, 120));
		assertThat(inventorum.image().renditions())
			.extracting(Rendition::name, Rendition::key, Rendition::contentType, Rendition::width, Rendition::height)
			.containsExactlyInAnyOrder(
					Tuple.tuple("thumb", "images/prof/" + sha256 + "/thumb.jpg", "image/jpeg", 150, 75),
					Tuple.tuple("thumb_retina", "images/prof/" + sha256 + "/thumb_retina.jpg", "image/jpeg", 300, 150),
					Tuple.tuple("ipad", "images/prof/" + sha256 + "/ipad.jpg", "image/jpeg", 768, 384),
					Tuple.tuple("image", "images/prof/" + sha256 + "/image.jpg", "image/jpeg", 768, 384),
					Tuple.tuple("ipad_retina", "images/prof/" + sha256 + "/ipad_retina.jpg", "image/jpeg", 1536, 768),
					Tuple.tuple("ebay", "images/prof/" + sha256 + "/ebay.jpg", "image/jpeg", 1600, 800));
		for (Rendition rendition : inventorum.image().renditions()) {
			byte[] object = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(rendition.key())).asByteArray();
			assertThat((long) object.length).isEqualTo(rendition.size());
			java.awt.image.BufferedImage decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(object));
			assertThat(decoded.getWidth()).isEqualTo(rendition.width());
			assertThat(decoded.getHeight()).isEqualTo(rendition.height());
		}
		// the same original serves every profile: its bytes are stored once
		assertThat(anqicms.image().key()).isEqualTo(batch.image().key());
		assertThat(inventorum.image().duplicate()).isTrue();
	}

	@Test
	void anUnknownProfileIsAnInvalidJobAndNothingIsStoredOrPublished() throws Exception {
		IngestImage job = stagedJob("noprof", TestImages.png(30, 30), "a.png", new IngestOptions("nursery-xl", true));

		assertThatExceptionOfType(InvalidJobException.class).isThrownBy(() -> ingestion().ingest(job))
			.withMessageContaining("unknown rendition profile 'nursery-xl'");

		assertThat(published.results).isEmpty();
		assertThat(s3.exists(BUCKET, staged(job).key())).isTrue();
		assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("images/noprof/")).contents()).isEmpty();
	}

	@Test
	void eachAllowedDocumentIsStoredAsItIsOnceAsADownload() throws Exception {
		Map<String, DocumentFormat> samples = new java.util.LinkedHashMap<>();
		samples.put("report.pdf", DocumentFormat.PDF);
		samples.put("notes.txt", DocumentFormat.TXT);
		samples.put("table.csv", DocumentFormat.CSV);
		samples.put("letter.doc", DocumentFormat.DOC);
		samples.put("letter.docx", DocumentFormat.DOCX);
		samples.put("sheet.xls", DocumentFormat.XLS);
		samples.put("sheet.xlsx", DocumentFormat.XLSX);
		samples.put("clip.mp4", DocumentFormat.MP4);
		ImageIngestion ingestion = ingestion(EnumSet.allOf(DocumentFormat.class));
		for (Map.Entry<String, DocumentFormat> sample : samples.entrySet()) {
			// a .doc and a .xls share their bytes here; the extension tells them apart, so give each its own tenant
			String tenant = "docs-" + sample.getValue().extension();
			byte[] bytes = documentBytes(sample.getValue());
			String sha256 = hex("SHA-256", bytes);
			String key = "files/" + tenant + "/" + sha256 + "." + sample.getValue().extension();

			ImageStored stored = (ImageStored) ingestion
				.ingest(stagedJob(tenant, bytes, sample.getKey(), new IngestOptions("anqicms", true)));

			assertThat(stored.image()).as(sample.getKey())
				.isEqualTo(new StoredImage(BUCKET, key, bytes.length, sample.getValue().contentType(), null,
						hex("MD5", bytes), sha256, 0, 0, 0, List.of(), false, sample.getValue()));
			assertThat(stored.image().isImage()).isFalse();
			ResponseBytes<GetObjectResponse> object = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
			assertThat(object.asByteArray()).isEqualTo(bytes);
			assertThat(object.response().contentType()).isEqualTo(sample.getValue().contentType());
			assertThat(object.response().contentDisposition()).isEqualTo("attachment");

			ImageStored again = (ImageStored) ingestion
				.ingest(stagedJob(tenant, bytes, "copy-" + sample.getKey(), new IngestOptions(null, true)));
			assertThat(again.image().duplicate()).isTrue();
			assertThat(again.image().key()).isEqualTo(key);
			assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("files/" + tenant + "/")).contents())
				.singleElement();
			assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("images/" + tenant + "/")).contents())
				.isEmpty();
		}
		assertThat(published.results).hasSize(2 * samples.size());
	}

	@Test
	void aFetchedDocumentIsStoredLikeAnUploadedOne() throws Exception {
		byte[] pdf = TestDocuments.pdf();
		origin.route("/manual", LoopbackOrigin.answer(200, pdf, "Content-Type", "application/octet-stream"));
		IngestImage job = new IngestImage("docurl", "batch-1", "docurl/batch-1/0", 0, "manual.pdf",
				new ItemSource.Remote(origin.url("/manual")), 1, new IngestOptions(null, true));

		ImageStored stored = (ImageStored) ingestion(EnumSet.of(DocumentFormat.PDF)).ingest(job);

		String key = "files/docurl/" + hex("SHA-256", pdf) + ".pdf";
		assertThat(stored.image().key()).isEqualTo(key);
		assertThat(stored.image().document()).isEqualTo(DocumentFormat.PDF);
		HeadObjectResponse head = s3.client().headObject(b -> b.bucket(BUCKET).key(key));
		assertThat(head.contentType()).isEqualTo("application/pdf");
		assertThat(head.contentDisposition()).isEqualTo("attachment");
		assertThat(tempDir).isEmptyDirectory();
	}

	@Test
	void withoutDocumentsAllowedEveryDocumentIsAnUnsupportedImage() throws Exception {
		ImageIngestion ingestion = ingestion(EnumSet.allOf(DocumentFormat.class));
		for (DocumentFormat format : DocumentFormat.values()) {
			ImageFailed failed = (ImageFailed) ingestion.ingest(stagedJob("nodocs", documentBytes(format),
					"file." + format.extension(), IngestOptions.DEFAULT));
			assertThat(failed.code()).as(format.name()).isEqualTo("UNSUPPORTED_FORMAT");
			assertThat(failed.message()).isEqualTo("The file 'file." + format.extension()
					+ "' is not a supported image format.");
		}
		assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("files/nodocs/")).contents()).isEmpty();
	}

	@Test
	void documentsOutsideTheAllowlistAreRefused() throws Exception {
		ImageIngestion pdfOnly = ingestion(EnumSet.of(DocumentFormat.PDF));
		for (DocumentFormat format : EnumSet.complementOf(EnumSet.of(DocumentFormat.PDF))) {
			ImageFailed failed = (ImageFailed) pdfOnly.ingest(stagedJob("narrow", documentBytes(format),
					"file." + format.extension(), new IngestOptions(null, true)));
			assertThat(failed.code()).as(format.name()).isEqualTo("UNSUPPORTED_FORMAT");
			assertThat(failed.message()).isEqualTo("The file 'file." + format.extension()
					+ "' is not a supported image or document format.");
		}
		assertThat(pdfOnly.ingest(stagedJob("narrow", TestDocuments.pdf(), "ok.pdf", new IngestOptions(null, true))))
			.isInstanceOf(ImageStored.class);
		assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("files/narrow/")).contents())
			.singleElement();
	}

	@Test
	void aPdfNamedAsAnImageIsRefusedAsAnImageEvenWhereDocumentsAreAllowed() throws Exception {
		ImageFailed failed = (ImageFailed) ingestion(EnumSet.allOf(DocumentFormat.class))
			.ingest(stagedJob("renamed", TestDocuments.pdf(), "scan.jpg", new IngestOptions("anqicms", true)));
		assertThat(failed.code()).isEqualTo("UNSUPPORTED_FORMAT");
		assertThat(failed.message()).isEqualTo("The file 'scan.jpg' is not a supported image format.");
		assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("files/renamed/")).contents()).isEmpty();
	}

	@Test
	void aJpegIsStillAnImageWhereDocumentsAreAllowed() throws Exception {
		byte[] jpeg = TestImages.jpeg(400, 300);
		ImageStored stored = (ImageStored) ingestion(EnumSet.allOf(DocumentFormat.class))
			.ingest(stagedJob("both", jpeg, "photo.pdf", new IngestOptions("anqicms", true)));
		assertThat(stored.image().isImage()).isTrue();
		assertThat(stored.image().format()).isEqualTo(ImageFormat.JPEG);
		assertThat(stored.image().key()).isEqualTo("images/both/" + hex("SHA-256", jpeg) + ".jpg");
		assertThat(stored.image()).extracting(StoredImage::width, StoredImage::height).containsExactly(400, 300);
		assertThat(stored.image().renditions()).extracting(Rendition::name, Rendition::width, Rendition::height)
			.containsExactly(Tuple.tuple("thumb", 240, 180));
		assertThat(s3.client().headObject(b -> b.bucket(BUCKET).key(stored.image().key())).contentDisposition())
			.isNull();
	}

	@Test
	void anExecutableIsRefusedWhateverItIsCalled() throws Exception {
		ImageIngestion ingestion = ingestion(EnumSet.allOf(DocumentFormat.class));
		for (String name : List.of("setup.exe", "invoice.pdf", "readme.txt", "data.csv", "report.doc")) {
			ImageFailed failed = (ImageFailed) ingestion
				.ingest(stagedJob("exe", TestDocuments.exe(), name, new IngestOptions(null, true)));
			assertThat(failed.code()).as(name).isEqualTo("UNSUPPORTED_FORMAT");
			assertThat(failed.message()).isEqualTo("The file '" + name + "' is not a supported image or document format.");
		}
		assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("files/exe/")).contents()).isEmpty();
		assertThat(s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("images/exe/")).contents()).isEmpty();
	}

	@Test
	void overTheSizeLimitAJobAllowingDocumentsSpeaksOfAFile() throws Exception {
		byte[] big = new byte[3 * 1024 * 1024 / 2];
		Arrays.fill(big, (byte) 'a');
		ImageIngestion ingestion = new ImageIngestion(new ImageStore(workerClient, BUCKET),
				inspector(RenditionProfiles.only(List.of()), EnumSet.allOf(DocumentFormat.class)), published, fetcher,
				1024 * 1024, tempDir, Clock.fixed(NOW, ZoneOffset.UTC));
		ImageFailed failed = (ImageFailed) ingestion
			.ingest(stagedJob("bigdoc", big, "big.txt", new IngestOptions(null, true)));
		assertThat(failed.code()).isEqualTo("TOO_LARGE");
		assertThat(failed.message()).isEqualTo("File size is 1.50MB, exceeds the maximum limit of 1MB.");
	}

	private static byte[] documentBytes(DocumentFormat format) {
		return switch (format) {
			case PDF -> TestDocuments.pdf();
			case TXT -> TestDocuments.text("Liefertermin: 3. März\r\n");
			case CSV -> TestDocuments.text("sku,qty\nA-1,3\n");
			case DOC, XLS -> TestDocuments.ole2();
			case DOCX -> TestDocuments.docx();
			case XLSX -> TestDocuments.xlsx();
			case MP4 -> TestDocuments.mp4();
		};
	}

	/** An ingestion with the built-in rendition profiles and these documents allowed. */
	private ImageIngestion ingestion(Set<DocumentFormat> documents) {
		return new ImageIngestion(new ImageStore(workerClient, BUCKET),
				inspector(new IngestProperties.Renditions(null).parsed(), documents), published, fetcher,
				10 * 1024 * 1024, tempDir, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static ImageInspector inspector(RenditionProfiles profiles, Set<DocumentFormat> documents) {
		return new ImageInspector(new DimensionReader(), new PixelLimit(50_000_000, 16384), 100, decodePool,
				new RenditionMaker(RenditionFormat.JPEG, 0.8f, RenditionMaker.DEFAULT_MAX_WEBP_FALLBACK_PIXELS,
						profiles.namedFormats()),
				profiles, documents, null);
	}

	private ImageIngestion ingestion() {
		return ingestion(10 * 1024 * 1024);
	}

	private ImageIngestion ingestion(long maxImageSize) {
		return new ImageIngestion(new ImageStore(workerClient, BUCKET), inspector(), published, fetcher, maxImageSize, tempDir,
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static ImageInspector inspector() {
		return inspector(List.of());
	}

	private static ImageInspector inspector(List<RenditionSpec> renditions) {
		return new ImageInspector(new DimensionReader(), new PixelLimit(50_000_000, 16384), 100, decodePool,
				new RenditionMaker(0.8f), renditions);
	}

	private static IngestImage stagedJob(String tenant, byte[] bytes, String filename) {
		return stagedJob(tenant, bytes, filename, IngestOptions.DEFAULT);
	}

	private static IngestImage stagedJob(String tenant, byte[] bytes, String filename, IngestOptions options) {
		int upload = uploads.incrementAndGet();
		String key = ObjectKeys.staged(tenant, "upload-" + upload, 0);
		s3.put(BUCKET, key, bytes);
		return job(tenant, upload,
				new ItemSource.Staged(new BlobRef(BUCKET, key, bytes.length, "image/jpeg"), filename), options);
	}

	/** A job of an upload the api-service wrote once, under {@link ObjectKeys#upload}. */
	private static IngestImage uploadJob(String tenant, byte[] bytes, String filename) {
		int upload = uploads.incrementAndGet();
		String key = ObjectKeys.upload(NOW, tenant, "upload-" + upload, 0);
		s3.put(BUCKET, key, bytes);
		return job(tenant, upload, new ItemSource.Staged(new BlobRef(BUCKET, key, bytes.length, "image/jpeg"), filename),
				IngestOptions.DEFAULT);
	}

	private static IngestImage job(String tenant, int index, ItemSource source) {
		return job(tenant, index, source, IngestOptions.DEFAULT);
	}

	private static IngestImage job(String tenant, int index, ItemSource source, IngestOptions options) {
		String batchId = "batch-" + index;
		return new IngestImage(tenant, batchId, tenant + "/" + batchId + "/" + index, index, "item-" + index, source, 1,
				options);
	}

	private static IngestImage urlJob(String tenant, int index, String url) {
		return job(tenant, index, new ItemSource.Remote(url));
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
