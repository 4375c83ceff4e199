package dev.intake.local;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpServer;
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
 * the dead-letter topic, stay served as they are with the reason. The check of an upload is no
 * client's batch: the bach.art routes answer it as unknown and no webhook hears of it.
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

	/** A loopback webhook endpoint of the test: every request body it got. */
	static HttpServer receiver;

	static final Queue<JsonNode> delivered = new ConcurrentLinkedQueue<>();

	@BeforeAll
	static void startIntake() throws Exception {
		receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		receiver.createContext("/events", exchange -> {
			try (exchange) {
				delivered.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
				exchange.sendResponseHeaders(200, -1);
			}
		});
		receiver.start();
		// one partition of the batch topics: batches and their events are handled in the order submitted
		intake = LocalStacks.start(dataDir,
				"--intake.worker.fault-injection.fail-decode-of=" + DECODER_BUG, "--intake.topics.batch-partitions=1",
				"--intake.webhooks.allow-loopback=true",
				"--intake.webhooks.allowed-ports=80,443," + receiver.getAddress().getPort());
		origin = "http://127.0.0.1:" + intake.settings().apiPort();
		basic = "Basic " + Base64.getEncoder()
			.encodeToString(("any-user:" + LocalStacks.TOKEN).getBytes(StandardCharsets.UTF_8));
		http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
	}

	@AfterAll
	static void stopIntake() {
		LocalStacks.stop(intake, receiver);
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

	@Test
	void anImageCheckIsNoClientsBatchNeitherShownNorAnnounced() throws Exception {
		IntakeClient client = LocalStacks.clientOf(intake);
		IntakeClient.Answer subscribed = client.send(HttpRequest
			.newBuilder(URI.create(intake.settings().baseUrl() + "/webhooks"))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort()
					+ "/events\", \"events\": [\"*\"]}"))
			.build());
		assertThat(subscribed.status()).as(subscribed.body().toString()).isEqualTo(201);

		JsonNode uploaded = upload("quiet", "quiet.png", TestImages.unique().png(64, 48));
		String batchId = "vault-" + uploaded.path("file").path("file_handle").asString();
		assertThat(metadata("quiet", "quiet.png").path("file").path("image").path("state").asString())
			.isIn("PENDING", "PROCESSED");
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> metadata("quiet", "quiet.png").path("file").path("image").path("state").asString(),
					"PROCESSED"::equals);

		// a client's batch after it: once its completion is delivered, any event of the check would have been
		IntakeClient.Answer submitted = client.submitWithFiles(
				List.of(new IntakeClient.Upload("after.png", "image/png", TestImages.unique().png(8, 8))),
				List.of("after.png"), "after-quiet");
		assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> delivered.stream()
				.anyMatch(event -> "dev.intake.batch.completed.v1".equals(event.path("type").asString())
						&& "after-quiet".equals(event.path("data").path("batchId").asString())));
		assertThat(delivered).extracting(event -> event.path("data").path("batchId").asString())
			.doesNotContain(batchId)
			.contains("after-quiet");

		// answered exactly as a batch that never existed, through every bach.art route
		String unknown = "vault-00000000-0000-4000-8000-000000000000";
		for (String path : List.of("/batch-upload/status/%s", "/batch-upload/status/%s/events")) {
			IntakeClient.Answer hidden = bachArt("GET", path.formatted(batchId));
			IntakeClient.Answer never = bachArt("GET", path.formatted(unknown));
			assertThat(hidden.status()).as(path).isEqualTo(404);
			assertThat(hidden.body()).as(path).isEqualTo(never.body());
		}
		IntakeClient.Answer retried = bachArt("POST", "/batch-upload/" + batchId + "/retry");
		assertThat(retried.status()).isEqualTo(404);
		assertThat(retried.body()).isEqualTo(bachArt("POST", "/batch-upload/" + unknown + "/retry").body());
		assertThat(client.status("after-quiet").status()).isEqualTo(200);
	}

	/** A bach.art API call of the local tenant, a 503 (status-service catching up) asked again. */
	private static IntakeClient.Answer bachArt(String method, String path) throws Exception {
		IntakeClient client = LocalStacks.clientOf(intake);
		return await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> client.send(HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + path))
				.timeout(Duration.ofSeconds(60))
				.header("Authorization", "Bearer " + intake.settings().apiToken())
				.method(method, HttpRequest.BodyPublishers.noBody())
				.build()), answer -> answer.status() != 503);
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
