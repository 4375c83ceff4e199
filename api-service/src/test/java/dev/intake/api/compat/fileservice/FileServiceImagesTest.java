package dev.intake.api.compat.fileservice;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import dev.intake.api.ApiServiceTest;
import dev.intake.api.TestServers;
import dev.intake.api.publish.RecordingBatchPublisher;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.IngestOptions;
import dev.intake.contracts.ItemResult;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.Rendition;
import dev.intake.contracts.StoredImage;
import dev.intake.contracts.Topics;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The image side of the Capillary file service over the real S3 server, with the batch publisher
 * recording what would go to Kafka: an image version is queued for its check in place (a
 * document or a placeholder is not), the upload answer stays the service's own, and the listing
 * and the metadata fetch show the state the worker's outcome record gives (written here as the
 * worker writes it), with renditions behind signed links only.
 */
@ApiServiceTest
class FileServiceImagesTest {

	private static final String BASIC = "Basic "
			+ Base64.getEncoder().encodeToString(("any-user:" + TestServers.TOKEN).getBytes(StandardCharsets.UTF_8));

	@LocalServerPort
	int port;

	@Autowired
	RecordingBatchPublisher published;

	WebTestClient client;

	String namespace;

	@BeforeEach
	void setUp() {
		client = TestServers.client(port);
		namespace = "img-" + UUID.randomUUID().toString().substring(0, 8);
		published.reset();
	}

	@AfterEach
	void tearDown() {
		published.reset();
	}

	@Test
	void anImageIsQueuedForItsCheckInPlaceAndTheUploadAnswerStaysTheServicesOwn() {
		byte[] png = TestImages.png(7, 5);

		JsonNode answer = raw("photo.png", png, "?acl=public");

		JsonNode file = answer.path("file");
		assertThat(names(answer)).containsExactly("code", "status", "message", "file", "secureFilePath");
		assertThat(names(file)).containsExactly("name", "namespace", "version", "acl", "fileSize", "file_handle",
				"content_type", "s3_token", "latest_version", "last_modified", "s3_url");
		String handle = file.path("file_handle").asString();
		List<RecordingBatchPublisher.Published> batches = batchesOf(handle);
		assertThat(batches).hasSize(1);
		assertThat(batches.get(0).batch().tenant()).isEqualTo("local");
		assertThat(batches.get(0).batch().internal()).as("no client's batch: never shown, never announced").isTrue();
		assertThat(batches.get(0).batch().items()).hasSize(1);
		assertThat(batches.get(0).jobs()).hasSize(1);
		IngestImage job = batches.get(0).jobs().get(0);
		assertThat(job.batchId()).isEqualTo("vault-" + handle);
		assertThat(job.options()).isEqualTo(IngestOptions.DEFAULT);
		assertThat(job.name()).isEqualTo("photo.png");
		ItemSource.Vault source = (ItemSource.Vault) job.source();
		assertThat(source.blob().key()).isEqualTo(file.path("s3_token").asString());
		assertThat(source.blob().bucket()).isEqualTo(TestServers.BUCKET);
		assertThat(source.blob().size()).isEqualTo(png.length);
		assertThat(source.acl()).isEqualTo("public");
		assertThat(source.handle()).isEqualTo(handle);
		// in place: nothing was staged or copied for it
		assertThat(TestServers.read(file.path("s3_token").asString())).isEqualTo(png);
	}

	@Test
	void documentsAndPlaceholdersAreNotQueuedAndHaveNoImage() {
		String pdf = raw("report.pdf", TestImages.pdf(), "").path("file").path("file_handle").asString();
		String placeholder = raw("later.png", new byte[0], "").path("file").path("file_handle").asString();

		assertThat(batchesOf(pdf)).isEmpty();
		assertThat(batchesOf(placeholder)).isEmpty();
		assertThat(metadata("report.pdf").path("file").has("image")).isFalse();
		assertThat(metadata("later.png").path("file").has("image")).isFalse();
		assertThat(listed("report.pdf").has("image")).isFalse();
	}

	@Test
	void anImageIsPendingUntilItsOutcomeIsRecordedThenShowsItsSizeAndSignedRenditions() {
		byte[] png = TestImages.png(40, 30);
		JsonNode uploaded = raw("plant.png", png, "").path("file");
		String handle = uploaded.path("file_handle").asString();

		assertThat(metadata("plant.png").path("file").path("image").path("state").asString()).isEqualTo("PENDING");
		assertThat(listed("plant.png").path("image").path("state").asString()).isEqualTo("PENDING");

		String thumbKey = ObjectKeys.vaultRendition("local", "private", handle, "thumb", "png");
		byte[] thumb = TestImages.png(4, 3);
		put(thumbKey, "image/png", thumb);
		String foreign = ObjectKeys.vaultRendition("other", "private", UUID.randomUUID().toString(), "thumb", "png");
		recordOutcome(handle, new ItemResult.ImageStored("local", "vault-" + handle, "local/vault-" + handle + "/0", 0, 1,
				new StoredImage(TestServers.BUCKET, uploaded.path("s3_token").asString(), png.length, "image/png",
						ImageFormat.PNG, "md5", "sha", 40, 30, 1,
						List.of(new Rendition("thumb", thumbKey, "image/png", 4, 3, thumb.length),
								new Rendition("stolen", foreign, "image/png", 4, 3, 10)),
						false),
				Instant.now()));

		JsonNode fetched = metadata("plant.png");
		assertThat(names(fetched)).containsExactly("code", "status", "message", "file", "secureFilePath");
		assertThat(fetched.path("message").asString()).isEqualTo("Successfully fetched file");
		assertThat(get(fetched.path("secureFilePath").asString())).isEqualTo(png);
		JsonNode image = fetched.path("file").path("image");
		assertThat(names(fetched.path("file"))).last().isEqualTo("image");
		assertThat(names(image)).containsExactly("state", "width", "height", "frames", "format", "renditions");
		assertThat(image.path("state").asString()).isEqualTo("PROCESSED");
		assertThat(image.path("width").asInt()).isEqualTo(40);
		assertThat(image.path("height").asInt()).isEqualTo(30);
		assertThat(image.path("frames").asInt()).isEqualTo(1);
		assertThat(image.path("format").asString()).isEqualTo("png");
		assertThat(image.path("renditions")).as("only the version's own renditions are signed").hasSize(1);
		JsonNode rendition = image.path("renditions").get(0);
		assertThat(names(rendition)).containsExactly("name", "width", "height", "content_type", "size",
				"secureFilePath");
		assertThat(rendition.path("name").asString()).isEqualTo("thumb");
		String link = rendition.path("secureFilePath").asString();
		assertThat(link).contains("/f/local/private/" + handle + "/thumb.png?expires=").contains("signature=");
		assertThat(get(link)).isEqualTo(thumb);
		JsonNode listedImage = listed("plant.png").path("image");
		assertThat(listedImage.path("state").asString()).isEqualTo("PROCESSED");
		assertThat(listedImage.path("width").asInt()).isEqualTo(40);
		assertThat(listedImage.path("height").asInt()).isEqualTo(30);
		assertThat(get(listedImage.path("renditions").get(0).path("secureFilePath").asString())).isEqualTo(thumb);

		// private: the rendition needs its signature, a changed one is refused, the public origin never serves it
		String unsigned = URI.create(link).getPath();
		client.get().uri(unsigned).exchange().expectStatus().isForbidden();
		client.get().uri(link.replaceAll("signature=[0-9a-f]{4}", "signature=0000")).exchange().expectStatus().isForbidden();
		client.get().uri("/i/" + thumbKey).exchange().expectStatus().isNotFound();
	}

	@Test
	void anImageThatFailsItsCheckShowsWhyAndIsStillServedAsItIs() {
		byte[] broken = TestImages.pngClaiming(100_000, 100_000);
		JsonNode uploaded = raw("broken.png", broken, "").path("file");
		String handle = uploaded.path("file_handle").asString();
		recordOutcome(handle, new ItemResult.ImageFailed("local", "vault-" + handle, "local/vault-" + handle + "/0", 0,
				1, "TOO_MANY_PIXELS", "Image dimensions are 100000x100000, exceeds the limit.", Instant.now()));

		JsonNode fetched = metadata("broken.png");

		JsonNode image = fetched.path("file").path("image");
		assertThat(names(image)).containsExactly("state", "error_code", "error_message");
		assertThat(image.path("state").asString()).isEqualTo("FAILED");
		assertThat(image.path("error_code").asString()).isEqualTo("TOO_MANY_PIXELS");
		assertThat(get(fetched.path("secureFilePath").asString())).isEqualTo(broken);
	}

	@Test
	void aPublicVersionsRenditionsAreServedLikeItsBytesAndDeletedWithIt() {
		JsonNode uploaded = raw("open.png", TestImages.png(6, 6), "?acl=PUBLIC").path("file");
		String handle = uploaded.path("file_handle").asString();
		String thumbKey = ObjectKeys.vaultRendition("local", "public", handle, "thumb", "webp");
		put(thumbKey, "image/webp", TestImages.webpLossless1x1());
		recordOutcome(handle, new ItemResult.ImageStored("local", "vault-" + handle, "local/vault-" + handle + "/0", 0, 1,
				new StoredImage(TestServers.BUCKET, uploaded.path("s3_token").asString(), 10, "image/png",
						ImageFormat.PNG, "md5", "sha", 6, 6, 1,
						List.of(new Rendition("thumb", thumbKey, "image/webp", 1, 1, 10)), false),
				Instant.now()));

		client.get()
			.uri("/f/local/public/" + handle + "/thumb.webp")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("image/webp");

		client.delete()
			.uri("/api_gateway/file-service/" + namespace + "/open.png?version=1")
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.file.image")
			.doesNotExist();
		assertThatThrownBy(() -> TestServers.read(thumbKey)).isInstanceOf(NoSuchKeyException.class);
		assertThatThrownBy(() -> TestServers.read(ObjectKeys.vaultImage("local", handle)))
			.isInstanceOf(NoSuchKeyException.class);
		client.get().uri("/f/local/public/" + handle + "/thumb.webp").exchange().expectStatus().isNotFound();
	}

	@Test
	void anImageThatCannotBeQueuedIsRefusedWith503AndNothingIsKept() {
		published.failWith(new IllegalStateException("broker down"));
		List<String> before = versionObjects();

		client.post()
			.uri("/api_gateway/file-service/" + namespace + "/down.png")
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(TestImages.png(3, 3))
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.code").isEqualTo(503)
			.jsonPath("$.status").isEqualTo("false");

		client.get()
			.uri("/api_gateway/file-service/" + namespace + "/down.png")
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(versionObjects()).as("the refused image's bytes are deleted").isEqualTo(before);
		// a document does not need the queue
		assertThat(raw("notes.txt", "still fine".getBytes(StandardCharsets.US_ASCII), "").path("code").asInt())
			.isEqualTo(200);
	}

	private static List<String> versionObjects() {
		return TestServers.s3()
			.listObjectsV2Paginator(list -> list.bucket(TestServers.BUCKET).prefix("vault/local/"))
			.contents()
			.stream()
			.map(object -> object.key())
			.sorted()
			.toList();
	}

	private List<RecordingBatchPublisher.Published> batchesOf(String handle) {
		return published.published()
			.stream()
			.filter(batch -> batch.batch().batchId().equals("vault-" + handle))
			.toList();
	}

	private static void recordOutcome(String handle, ItemResult result) {
		put(ObjectKeys.vaultImage("local", handle), "application/json",
				Topics.RESULTS.valueSerde().serializer().serialize(Topics.RESULTS.name(), result));
	}

	private static void put(String key, String contentType, byte[] bytes) {
		TestServers.s3()
			.putObject(put -> put.bucket(TestServers.BUCKET).key(key).contentType(contentType),
					RequestBody.fromBytes(bytes));
	}

	private JsonNode raw(String name, byte[] bytes, String query) {
		return client.post()
			.uri("/api_gateway/file-service/" + namespace + "/" + name + query)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(bytes)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private JsonNode metadata(String name) {
		return client.get()
			.uri("/api_gateway/file-service/" + namespace + "/" + name + "?metadata=true")
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** The listed {@code file} of {@code name}. */
	private JsonNode listed(String name) {
		JsonNode listing = client.get()
			.uri("/api_gateway/file-service/" + namespace)
			.header(HttpHeaders.AUTHORIZATION, BASIC)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		for (JsonNode entry : listing.path("files")) {
			if (name.equals(entry.path("file").path("name").asString())) {
				return entry.path("file");
			}
		}
		throw new AssertionError(name + " is not listed: " + listing);
	}

	private byte[] get(String link) {
		return client.get()
			.uri(URI.create(link))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
	}

	private static List<String> names(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.propertyNames().forEach(names::add);
		return names;
	}

}
