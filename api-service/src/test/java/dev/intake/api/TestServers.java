package dev.intake.api;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import dev.intake.api.auth.TestIssuer;
import dev.intake.testsupport.S3ProxyFixture;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.core.sync.ResponseTransformer;

/**
 * What the api-service talks to in tests, started once per JVM on 127.0.0.1: a real S3 server
 * ({@link S3ProxyFixture#shared()}) and a fake status-service with canned answers per batch id.
 */
public final class TestServers {

	public static final String BUCKET = "intake-test";

	public static final String TOKEN = "test-token";

	public static final String OTHER_TENANT_TOKEN = "other-token";

	/** The shared service credential the fake status-service insists on, as the real one does. */
	static final String INTERNAL_TOKEN = "test-internal-token";

	/** API key of tenant {@code local} with scope {@code images:read} only. */
	public static final String READ_ONLY_TOKEN = "read-only-token";

	/** API key of tenant {@code local} with scope {@code images:write} only. */
	public static final String WRITE_ONLY_TOKEN = "write-only-token";

	// sha256 of the keys above, as configured (printf %s test-token | sha256sum)
	static final String TOKEN_HASH = "sha256:4c5dc9b7708905f77f5e5d16316b5dfb425e68cb326dcd55a860e90a7707031e";

	static final String OTHER_TENANT_TOKEN_HASH = "sha256:6c67163bbed989f232b31acc4f04df54b31285bfc01bd022c735b71e041a4754";

	static final String READ_ONLY_TOKEN_HASH = "sha256:a79bbcbfc3f84f7c87ddc52d498a7e1c5fe52085a6f9f398770f906d6abed41b";

	static final String WRITE_ONLY_TOKEN_HASH = "sha256:85b4bb2cc988be3ff4cc4d3c494dce28d5cc728bcbe41226c6eca797ba7a9ec2";

	private static DisposableServer statusService;

	/** Paths the fake status-service was asked for, as {@code tenant/batchId}. */
	public static final List<String> statusRequests = new CopyOnWriteArrayList<>();

	/** The {@code If-None-Match} of each batch look-up the fake status-service was asked ("" for none). */
	public static final List<String> statusConditions = new CopyOnWriteArrayList<>();

	/**
	 * Finished batches of the fake status-service by id, answered 200 with their entity tag, or 304
	 * to an {@code If-None-Match} of that tag.
	 */
	public static final java.util.Map<String, Tagged> TAGGED_ANSWERS = new java.util.concurrent.ConcurrentHashMap<>();

	/** A finished batch's answer ({@code data}) and its entity tag, quoted. */
	public record Tagged(String etag, String data) {
	}

	/**
	 * The fake status-service's retryable-items answers ({@code data}) by batch id; any other id
	 * is unknown (404/1203), {@code catching-up} is 503.
	 */
	public static final java.util.Map<String, String> RETRYABLE_ANSWERS = java.util.Map.of("finished",
			"{\"batch_id\":\"finished\",\"status\":\"TASK_SUCCEEDED\",\"retry_round\":1,\"total_count\":3,"
					+ "\"failed_count\":2,\"items\":[{\"index\":1,\"item_id\":\"local/finished/1\",\"name\":\"b.png\","
					+ "\"error_code\":\"RETRIES_EXHAUSTED\",\"source\":{\"kind\":\"staged\",\"blob\":{\"bucket\":\"intake\","
					+ "\"key\":\"staging/local/u/1\",\"size\":10,\"contentType\":\"image/png\"},\"filename\":\"b.png\"}},"
					+ "{\"index\":2,\"item_id\":\"local/finished/2\",\"name\":\"c.png\",\"error_code\":\"FETCH_FAILED\","
					+ "\"source\":{\"kind\":\"url\",\"url\":\"https://images.example/c.png\"}}]}",
			"all-failed",
			"{\"batch_id\":\"all-failed\",\"status\":\"TASK_SUCCEEDED\",\"retry_round\":0,\"total_count\":1,"
					+ "\"failed_count\":1,\"items\":[{\"index\":0,\"item_id\":\"local/all-failed/0\",\"name\":\"a.png\","
					+ "\"source\":{\"kind\":\"url\",\"url\":\"https://images.example/a.png\"}}]}",
			"busy", "{\"batch_id\":\"busy\",\"status\":\"TASK_PROCESSING\",\"retry_round\":0,\"total_count\":2,"
					+ "\"failed_count\":1,\"items\":[]}",
			"clean", "{\"batch_id\":\"clean\",\"status\":\"TASK_SUCCEEDED\",\"retry_round\":0,\"total_count\":2,"
					+ "\"failed_count\":0,\"items\":[]}",
			"stuck", "{\"batch_id\":\"stuck\",\"status\":\"TASK_SUCCEEDED\",\"retry_round\":0,\"total_count\":2,"
					+ "\"failed_count\":1,\"items\":[]}");

	/** The fake status-service's nursery batches ({@code links} of {@code data}); any other batch is empty. */
	public static final java.util.Map<String, String> NURSERY_LINKS = java.util.Map.of("local/nurseries/2/batches/1",
			"[{\"fileId\":1,\"fileName\":\"tyetywteyw.png\",\"type\":\"ROOT\",\"uploadedAt\":\"2026-03-01T12:00:00.250Z\","
					+ "\"linkedAt\":\"2026-03-01T12:01:00Z\"},{\"fileId\":7,\"fileName\":\"NjMWJyf5UxtZFOu.pdf\","
					+ "\"type\":\"LEAF\",\"uploadedAt\":null,\"linkedAt\":\"2026-03-01T12:02:00Z\"}]");

	/**
	 * The fake content index: entries ({@code data}) by {@code tenant/sha256}; any other content is
	 * not stored (404/1207), a hash of {@code e}s is 503.
	 */
	public static final java.util.Map<String, String> CONTENTS = new java.util.concurrent.ConcurrentHashMap<>();

	private TestServers() {
	}

	/** An independent S3 client on the test store, to check what the service wrote. */
	public static S3Client s3() {
		return S3ProxyFixture.shared().client();
	}

	/**
	 * Keys under {@code uploads/} and {@code staging/} in the test bucket (whatever the service
	 * wrote for uploads), read with the independent client.
	 */
	public static List<String> staged() {
		return java.util.stream.Stream.of("uploads/", "staging/")
			.flatMap(prefix -> s3().listObjectsV2Paginator(list -> list.bucket(BUCKET).prefix(prefix))
				.contents()
				.stream())
			.map(S3Object::key)
			.toList();
	}

	/** Deletes everything under {@code uploads/} and {@code staging/}, so a test starts from none. */
	public static void deleteStaged() {
		for (String key : staged()) {
			s3().deleteObject(delete -> delete.bucket(BUCKET).key(key));
		}
	}

	/** An object of the test bucket, read with the independent client. */
	public static byte[] read(String key) {
		return s3().getObject(get -> get.bucket(BUCKET).key(key), ResponseTransformer.toBytes()).asByteArray();
	}

	/** {@code size} random bytes, the same for the same seed. */
	public static byte[] bytes(int size, int seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	/** An async client of the test store, configured as the service's staging client. */
	public static S3AsyncClient s3Async() {
		return S3AsyncClient.builder()
			.endpointOverride(s3Endpoint())
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.multipartEnabled(true)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY)))
			.build();
	}

	/**
	 * The test clients' pool: an idle connection is given up after 10 s, well before the server
	 * closes it (its idle timeout, 30 s), so no request goes out on a connection the server is closing.
	 */
	private static final ConnectionProvider CONNECTIONS = ConnectionProvider.builder("api-service-tests")
		.maxIdleTime(Duration.ofSeconds(10))
		.build();

	public static WebTestClient client(int port) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(CONNECTIONS)))
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(60))
			.build();
	}

	public static URI s3Endpoint() {
		return S3ProxyFixture.shared().endpoint();
	}

	static synchronized String statusServiceUrl() {
		if (statusService == null) {
			statusService = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.route(routes -> routes.get("/jwks", (request, response) -> response
					.header("Content-Type", "application/json")
					.sendString(Mono.just(TestIssuer.jwkSetJson()))
					.then()).get("/internal/batches/{tenant}/{batchId}/retryable", (request, response) -> {
					String batchId = request.param("batchId");
					statusRequests.add(request.param("tenant") + "/" + batchId + "/retryable");
					if (!INTERNAL_TOKEN.equals(request.requestHeaders().get("X-Intake-Internal-Token"))) {
						return response.status(401).send();
					}
					String answer = "local".equals(request.param("tenant")) ? RETRYABLE_ANSWERS.get(batchId) : null;
					if ("catching-up".equals(batchId)) {
						return response.status(503)
							.header("Content-Type", "application/json")
							.header("Retry-After", "1")
							.sendString(Mono.just("{\"code\":1500,\"message\":\"catching up\"}"))
							.then();
					}
					if (answer == null) {
						return response.status(404)
							.header("Content-Type", "application/json")
							.sendString(Mono.just("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}"))
							.then();
					}
					return response.status(200)
						.header("Content-Type", "application/json")
						.sendString(Mono.just("{\"code\":200,\"message\":\"success\",\"data\":" + answer + "}"))
						.then();
				}).get("/internal/tenants/{tenant}/contents/{sha256}", (request, response) -> {
					if (!INTERNAL_TOKEN.equals(request.requestHeaders().get("X-Intake-Internal-Token"))) {
						return response.status(401).send();
					}
					String content = request.param("tenant") + "/" + request.param("sha256");
					statusRequests.add(content);
					String entry = CONTENTS.get(content);
					if ("e".repeat(64).equals(request.param("sha256"))) {
						return response.status(503)
							.header("Content-Type", "application/json")
							.header("Retry-After", "1")
							.sendString(Mono.just("{\"code\":1500,\"message\":\"catching up\"}"))
							.then();
					}
					return (entry == null)
							? response.status(404)
								.header("Content-Type", "application/json")
								.sendString(Mono.just("{\"code\":1207,\"message\":\"Content is not stored.\"}"))
								.then()
							: response.status(200)
								.header("Content-Type", "application/json")
								.sendString(Mono.just("{\"code\":200,\"message\":\"success\",\"data\":" + entry + "}"))
								.then();
				}).get("/internal/tenants/{tenant}/assets/{id}", (request, response) -> {
					if (!INTERNAL_TOKEN.equals(request.requestHeaders().get("X-Intake-Internal-Token"))) {
						return response.status(401).send();
					}
					statusRequests.add(request.param("tenant") + "/assets/" + request.param("id"));
					if ("7".equals(request.param("id"))) {
						// a catalogue that cannot tell right now (the nursery listing names file 7 as linked)
						return response.status(503).send();
					}
					// the fake catalogue holds no asset
					return response.status(404)
						.header("Content-Type", "application/json")
						.sendString(Mono.just("{\"code\":1206,\"message\":\"Asset does not exist.\"}"))
						.then();
				}).get("/internal/tenants/{tenant}/nurseries/{nurseryId}/batches/{batchId}/links", (request, response) -> {
					if (!INTERNAL_TOKEN.equals(request.requestHeaders().get("X-Intake-Internal-Token"))) {
						return response.status(401).send();
					}
					String batch = request.param("tenant") + "/nurseries/" + request.param("nurseryId") + "/batches/"
							+ request.param("batchId");
					statusRequests.add(batch);
					return response.status(200)
						.header("Content-Type", "application/json")
						.sendString(Mono.just("{\"code\":200,\"message\":\"success\",\"data\":{\"links\":"
								+ NURSERY_LINKS.getOrDefault(batch, "[]") + "}}"))
						.then();
				}).get("/internal/batches/{tenant}/{batchId}", (request, response) -> {
					String batchId = request.param("batchId");
					if (!INTERNAL_TOKEN.equals(request.requestHeaders().get("X-Intake-Internal-Token"))) {
						return response.status(401).send();
					}
					statusRequests.add(request.param("tenant") + "/" + batchId);
					String condition = request.requestHeaders().get("If-None-Match");
					statusConditions.add((condition != null) ? condition : "");
					Tagged tagged = TAGGED_ANSWERS.get(batchId);
					if (tagged != null) {
						return tagged.etag().equals(condition)
								? response.status(304).header("ETag", tagged.etag()).send()
								: response.status(200)
									.header("Content-Type", "application/json")
									.header("ETag", tagged.etag())
									.sendString(Mono.just("{\"code\":200,\"message\":\"success\",\"data\":" + tagged.data() + "}"))
									.then();
					}
					return switch (batchId) {
						case "slow" -> Mono.delay(Duration.ofMinutes(1)).then(response.sendNotFound().then());
						case "drop" -> response.withConnection(Connection::dispose).then();
						case "catching-up" -> response.status(503)
							.header("Content-Type", "application/json")
							.header("Retry-After", "2")
							.sendString(Mono.just("{\"code\":1500,\"message\":\"catching up\"}"))
							.then();
						case "known" -> response.status(200)
							.header("Content-Type", "application/json")
							.sendString(Mono.just("{\"code\":200,\"message\":\"success\",\"data\":{\"batch_id\":\"known\"}}"))
							.then();
						default -> response.status(404)
							.header("Content-Type", "application/json")
							.sendString(Mono.just("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}"))
							.then();
					};
				}))
				.bindNow();
		}
		return "http://127.0.0.1:" + statusService.port();
	}

	/** Points the application at these servers. */
	public static final class Initializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			TestPropertyValues
				.of("intake.s3.endpoint=" + s3Endpoint(), "intake.status-service.base-url=" + statusServiceUrl(),
						"intake.security.jwt.jwk-set-uri=" + statusServiceUrl() + "/jwks")
				.applyTo(context);
		}

	}

}
