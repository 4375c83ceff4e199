package dev.intake.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ObjectKeys;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Capillary file service's images over the whole pipeline (real broker, S3Proxy, worker and
 * status-service in one JVM): a PNG uploaded through the file service is checked and measured by
 * the worker where it is stored and gets renditions; the listing and the metadata fetch show its
 * size and renditions behind signed links, which serve them while the public image origin does
 * not. A PDF stays without dimensions, and bytes that fail the image checks, or whose job ends in
 * the dead-letter topic, stay served as they are with the reason.
 */
class FileServiceImagesEndToEndTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** A file name whose decode the worker fails as a decoder bug would: its job is dead-lettered. */
	private static final String DECODER_BUG = "decoder-bug.png";

	@TempDir
	static Path dataDir;

	static LocalIntake intake;

	static String origin;

	static String basic;

	static HttpClient http;

	@BeforeAll
	static void startIntake() throws Exception {
		intake = LocalIntake.start(LocalStacks.settingsIn(dataDir),
				"--intake.worker.fault-injection.fail-decode-of=" + DECODER_BUG);
		origin = "http://127.0.0.1:" + intake.settings().apiPort();
		basic = "Basic " + Base64.getEncoder()
			.encodeToString(("any-user:" + LocalStacks.TOKEN).getBytes(StandardCharsets.UTF_8));
		http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
	}

	@AfterAll
	static void stopIntake() {
		if (intake != null) {
			intake.close();
		}
	}

	@Test
	void aPngGetsItsSizeAndPrivateRenditionsAndAPdfStaysAsItIs() throws Exception {
		byte[] png = TestImages.unique().png(320, 200);
		byte[] pdf = TestImages.pdf();

		JsonNode uploaded = upload("photos", "garden.png", png);
		JsonNode document = upload("photos", "manual.pdf", pdf);

		assertThat(names(uploaded.path("file"))).as("the upload answer is the service's own")
			.containsExactly("name", "namespace", "version", "acl", "fileSize", "file_handle", "content_type",
					"s3_token", "latest_version", "last_modified", "s3_url");
		String handle = uploaded.path("file").path("file_handle").asString();
		String key = uploaded.path("file").path("s3_token").asString();
		String tenant = key.split("/")[1];
		JsonNode pending = metadata("photos", "garden.png").path("file").path("image");
		assertThat(pending.path("state").asString()).isIn("PENDING", "PROCESSED");

		JsonNode image = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> listed("photos", "garden.png").path("image"),
					shown -> "PROCESSED".equals(shown.path("state").asString()));

		assertThat(image.path("width").asInt()).isEqualTo(320);
		assertThat(image.path("height").asInt()).isEqualTo(200);
		assertThat(image.path("frames").asInt()).isEqualTo(1);
		assertThat(image.path("format").asString()).isEqualTo("png");
		assertThat(image.path("renditions").size()).isPositive();
		for (JsonNode rendition : image.path("renditions")) {
			String link = rendition.path("secureFilePath").asString();
			assertThat(link).contains("/f/" + tenant + "/private/" + handle + "/").contains("signature=");
			HttpResponse<byte[]> served = get(link);
			assertThat(served.statusCode()).as(link).isEqualTo(200);
			assertThat(served.headers().firstValue("Content-Type")).hasValue(rendition.path("content_type").asString());
			assertThat((long) served.body().length).isEqualTo(rendition.path("size").asLong());
			assertThat(rendition.path("width").asInt()).isLessThanOrEqualTo(320);
			// never through the public image origin, nor without the signature
			String renditionKey = ObjectKeys.vaultRenditions(tenant, "private", handle)
					+ link.substring(link.lastIndexOf('/') + 1, link.indexOf('?'));
			assertThat(get(origin + "/i/" + renditionKey).statusCode()).isEqualTo(404);
			assertThat(get(link.substring(0, link.indexOf('?'))).statusCode()).isEqualTo(403);
		}
		JsonNode fetched = metadata("photos", "garden.png");
		assertThat(fetched.path("file").path("image").path("width").asInt()).isEqualTo(320);
		assertThat(get(fetched.path("secureFilePath").asString()).body()).isEqualTo(png);
		// the bytes stayed where they were: no public original was made of them
		assertThat(get(origin + "/i/" + key).statusCode()).isEqualTo(404);
		String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
		assertThat(get(origin + "/i/" + ObjectKeys.original(tenant, sha256, ImageFormat.PNG)).statusCode())
			.isEqualTo(404);

		assertThat(listed("photos", "manual.pdf").has("image")).isFalse();
		assertThat(metadata("photos", "manual.pdf").path("file").has("image")).isFalse();
		assertThat(get(document.path("secureFilePath").asString()).body()).isEqualTo(pdf);
	}

	@Test
	void bytesThatFailTheImageChecksAreStillServedAsTheyAre() throws Exception {
		byte[] bomb = TestImages.pngClaiming(60_000, 60_000);

		JsonNode uploaded = upload("broken", "bomb.png", bomb);

		JsonNode image = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> metadata("broken", "bomb.png").path("file").path("image"),
					shown -> "FAILED".equals(shown.path("state").asString()));
		assertThat(image.path("error_code").asString()).isEqualTo("TOO_MANY_PIXELS");
		assertThat(image.has("width")).isFalse();
		assertThat(get(uploaded.path("secureFilePath").asString()).body()).isEqualTo(bomb);
	}

	@Test
	void aVersionWhoseJobIsDeadLetteredEndsFailedAndIsStillServed() throws Exception {
		byte[] png = TestImages.unique().png(50, 40);

		JsonNode uploaded = upload("poison", DECODER_BUG, png);

		JsonNode image = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> listed("poison", DECODER_BUG).path("image"),
					shown -> "FAILED".equals(shown.path("state").asString()));
		assertThat(image.path("error_code").asString()).isEqualTo("PROCESSING_FAILED");
		assertThat(get(uploaded.path("secureFilePath").asString()).body()).isEqualTo(png);
	}

	private static JsonNode upload(String namespace, String name, byte[] bytes) throws Exception {
		HttpResponse<String> answer = http.send(HttpRequest
			.newBuilder(URI.create(origin + "/api_gateway/file-service/" + namespace + "/" + name))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", basic)
			.header("Content-Type", "application/octet-stream")
			.POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return JSON.readTree(answer.body());
	}

	private static JsonNode metadata(String namespace, String name) throws Exception {
		return getJson(origin + "/api_gateway/file-service/" + namespace + "/" + name + "?metadata=true");
	}

	/** The listed {@code file} of {@code name}. */
	private static JsonNode listed(String namespace, String name) throws Exception {
		JsonNode listing = getJson(origin + "/api_gateway/file-service/" + namespace);
		for (JsonNode entry : listing.path("files")) {
			if (name.equals(entry.path("file").path("name").asString())) {
				return entry.path("file");
			}
		}
		throw new AssertionError(name + " is not listed: " + listing);
	}

	private static JsonNode getJson(String url) throws Exception {
		HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", basic)
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return JSON.readTree(answer.body());
	}

	private static HttpResponse<byte[]> get(String url) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
				HttpResponse.BodyHandlers.ofByteArray());
	}

	private static List<String> names(JsonNode node) {
		List<String> names = new ArrayList<>();
		node.propertyNames().forEach(names::add);
		return names;
	}

}
