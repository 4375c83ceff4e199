package dev.intake.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import dev.intake.testsupport.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks over the real stack: subscriptions through the API, deliveries to loopback receivers
 * of the test that verify every request with the {@code standardwebhooks} library (a request
 * that fails verification is answered 400 and counted), retries on a short schedule, 410
 * disabling a subscription, and the address policy refusing private endpoints; the worker's
 * delivery counter (on its management port) counts retried, delivered and failed attempts.
 */
@Timeout(300)
@Order(SharedStack.FIRST)
class WebhooksEndToEndTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/**
	 * The filter of subscriptions whose deliveries a test counts: only its pings, never the events of
	 * other tests' batches that arrive meanwhile.
	 */
	private static final String PING_ONLY = "[\"dev.intake.webhook.ping.v1\"]";

	/**
	 * Its stack retries a delivery every 200 ms. The first class on it: no other class's batch
	 * events reach its subscriptions to every event.
	 */
	@RegisterExtension
	static final SharedStack stack = new SharedStack();

	static LocalIntake intake;

	static IntakeClient client;

	/** Secrets by receiver path, set when the test creates the subscription. */
	static final Map<String, List<String>> secrets = new ConcurrentHashMap<>();

	/** Verified requests by receiver path: webhook-id and the parsed body. */
	static final Map<String, Queue<Delivered>> verified = new ConcurrentHashMap<>();

	static final AtomicInteger unverified = new AtomicInteger();

	static final AtomicInteger flakyCalls = new AtomicInteger();

	record Delivered(String id, JsonNode event) {
	}

	@BeforeAll
	static void start() throws Exception {
		stack.serve("/hooks/ok", exchange -> answer(exchange, "/ok", 200));
		stack.serve("/hooks/callback", exchange -> answer(exchange, "/callback", 200));
		stack.serve("/hooks/paused", exchange -> answer(exchange, "/paused", 200));
		stack.serve("/hooks/rotated", exchange -> answer(exchange, "/rotated", 200));
		stack.serve("/hooks/flaky", exchange -> answer(exchange, "/flaky", flakyCalls.incrementAndGet() <= 3 ? 500 : 200));
		stack.serve("/hooks/gone", exchange -> answer(exchange, "/gone", 410));
		intake = stack.intake();
		client = LocalStacks.clientOf(intake);
	}

	/** The classes after it on the stack get no deliveries of its subscriptions. */
	@AfterAll
	static void unsubscribe() throws Exception {
		for (String id : call("GET", "/webhooks", null).body().get("data").findValuesAsString("id")) {
			call("DELETE", "/webhooks/" + id, null);
		}
	}

	@Test
	void aSubscriptionGetsTheBatchEventsSignedAsStandardWebhooks() throws Exception {
		IntakeClient.Answer created = subscribe("/ok", "[\"dev.intake.batch.completed.v1\", \"dev.intake.item.stored.v1\"]");
		assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
		String id = created.body().get("id").asString();
		assertThat(created.body().get("secret").asString()).startsWith("whsec_");
		// read-your-writes: listed at once, and the secret is never shown again
		JsonNode listed = call("GET", "/webhooks", null).body().get("data");
		assertThat(listed.findValuesAsString("id")).contains(id);
		assertThat(call("GET", "/webhooks/" + id, null).body().has("secret")).isFalse();

		IntakeClient.Answer submitted = client.submitWithFiles(
				List.of(new IntakeClient.Upload("a.png", "image/png", TestImages.unique().png(8, 8))), List.of("a.png"),
				"webhook-e2e");
		assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(200);

		Delivered completed = await().atMost(Duration.ofMinutes(2))
			.until(() -> find("/ok", "dev.intake.batch.completed.v1"), found -> found != null);
		assertThat(completed.event().get("specversion").asString()).isEqualTo("1.0");
		assertThat(completed.event().get("id").asString()).isNotBlank();
		assertThat(completed.event().get("data").get("batchId").asString()).isEqualTo("webhook-e2e");
		assertThat(find("/ok", "dev.intake.item.stored.v1")).isNotNull();
		assertThat(unverified.get()).isZero();
		await().atMost(Duration.ofMinutes(2)).until(() -> call("GET", "/webhooks/" + id + "/deliveries", null)
			.body()
			.get("data")
			.findValuesAsString("status")
			.contains("delivered"));
	}

	@Test
	void aFailingEndpointGetsTheEventAgainUntilItAnswers2xx() throws Exception {
		String id = subscribe("/flaky", PING_ONLY).body().get("id").asString();

		IntakeClient.Answer ping = call("POST", "/webhooks/" + id + "/test", "");
		assertThat(ping.status()).isEqualTo(202);
		String deliveryId = ping.body().get("delivery_id").asString();

		await().atMost(Duration.ofMinutes(2)).until(() -> verified.getOrDefault("/flaky", new ConcurrentLinkedQueue<>()).size() >= 4);
		// the same webhook-id on every attempt, so a receiver can drop repeats
		assertThat(verified.get("/flaky")).extracting(Delivered::id).containsOnly(deliveryId);
		JsonNode attempts = await().atMost(Duration.ofMinutes(2))
			.until(() -> call("GET", "/webhooks/" + id + "/deliveries", null).body().get("data"),
					data -> data.findValuesAsString("status").contains("delivered"));
		assertThat(attempts.get(0).get("status").asString()).isEqualTo("delivered");
		assertThat(attempts.get(0).get("attempt").asInt()).isEqualTo(4);
		assertThat(attempts.get(1).get("status").asString()).isEqualTo("retrying");
		assertThat(attempts.get(1).get("response_code").asInt()).isEqualTo(500);
		assertThat(attempts.get(1).has("next_attempt_at")).isTrue();
		assertThat(flakyCalls.get()).isEqualTo(4);
		// other tests' deliveries count too (an attempt before the test knows the secret is retried)
		await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
			assertThat(deliveriesCounted("retried")).isGreaterThanOrEqualTo(3);
			assertThat(deliveriesCounted("delivered")).isGreaterThanOrEqualTo(1);
		});

		IntakeClient.Answer again = call("POST", "/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver", "");
		assertThat(again.status()).isEqualTo(202);
		await().atMost(Duration.ofMinutes(2)).until(() -> flakyCalls.get() == 5);
		assertThat(call("POST", "/webhooks/" + id + "/deliveries/msg_unknown/redeliver", "").status()).isEqualTo(404);
	}

	@Test
	void anEndpointAnswering410DisablesItsSubscription() throws Exception {
		String id = subscribe("/gone", PING_ONLY).body().get("id").asString();

		assertThat(call("POST", "/webhooks/" + id + "/test", "").status()).isEqualTo(202);

		JsonNode hook = await().atMost(Duration.ofMinutes(2))
			.until(() -> call("GET", "/webhooks/" + id, null).body(), body -> !body.get("enabled").asBoolean());
		assertThat(hook.get("disabled_reason").asString()).contains("410");
		JsonNode attempts = call("GET", "/webhooks/" + id + "/deliveries", null).body().get("data");
		assertThat(attempts.size()).isEqualTo(1);
		assertThat(attempts.get(0).get("status").asString()).isEqualTo("failed");
		assertThat(attempts.get(0).get("response_code").asInt()).isEqualTo(410);
		await().atMost(Duration.ofMinutes(2)).until(() -> deliveriesCounted("failed") >= 1);
	}

	/**
	 * Rotated twice, as a client retrying a rotation whose answer it did not get: the first secret,
	 * which the receiver may still hold, keeps signing beside the two new ones.
	 */
	@Test
	void rotatedSecretsAndTheOnesBeforeSignDuringTheGracePeriod() throws Exception {
		IntakeClient.Answer created = subscribe("/rotated", "[\"*\"]");
		String id = created.body().get("id").asString();
		String old = created.body().get("secret").asString();
		IntakeClient.Answer rotated = call("POST", "/webhooks/" + id + "/rotate-secret", "");
		assertThat(rotated.status()).isEqualTo(200);
		String lost = rotated.body().get("secret").asString();
		String current = call("POST", "/webhooks/" + id + "/rotate-secret", "").body().get("secret").asString();
		assertThat(current).startsWith("whsec_").isNotEqualTo(old).isNotEqualTo(lost);
		// the receiver accepts a request only when it verifies with each of these on its own
		secrets.put("/rotated", List.of(old, lost, current));

		assertThat(call("POST", "/webhooks/" + id + "/test", "").status()).isEqualTo(202);

		await().atMost(Duration.ofMinutes(2)).until(() -> find("/rotated", "dev.intake.webhook.ping.v1") != null);
		assertThat(unverified.get()).isZero();
	}

	@Test
	void aBatchCallbackUrlGetsItsCompletionSignedWithTheSecretOfTheSubmitAnswer() throws Exception {
		IntakeClient.Answer refused = client.submitWithFiles(
				List.of(new IntakeClient.Upload("b.png", "image/png", TestImages.unique().png(8, 8))), List.of("b.png"),
				"callback-refused", Map.of("callback_url", "http://10.0.0.7/done"));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body().get("message").asString()).startsWith("callback_url is not allowed");
		assertThat(client.status("callback-refused").status()).isEqualTo(404);

		IntakeClient.Answer submitted = client.submitWithFiles(
				List.of(new IntakeClient.Upload("c.png", "image/png", TestImages.unique().png(8, 8))), List.of("c.png"),
				"callback-e2e", Map.of("callback_url", receiverUrl("/callback")));
		assertThat(submitted.status()).as(submitted.body().toString()).isEqualTo(200);
		String secret = submitted.body().get("data").get("callback_secret").asString();
		assertThat(secret).startsWith("whsec_");
		secrets.put("/callback", List.of(secret));

		Delivered completed = await().atMost(Duration.ofMinutes(2))
			.until(() -> find("/callback", "dev.intake.batch.completed.v1"), found -> found != null);
		assertThat(completed.event().get("data").get("batchId").asString()).isEqualTo("callback-e2e");
		assertThat(unverified.get()).isZero();
		// a callback is not a subscription the tenant manages
		assertThat(call("GET", "/webhooks", null).body().get("data").findValuesAsString("url"))
			.doesNotContain(receiverUrl("/callback"));
	}

	@Test
	void subscriptionsArePerTenantChecksAndTheAddressPolicy() throws Exception {
		for (String url : List.of("http://10.0.0.5/hook", "http://169.254.169.254/latest", "http://[fd00::1]/x",
				"ftp://example.com/", "http://192.168.1.1:" + stack.loopbackPort() + "/hooks/ok")) {
			IntakeClient.Answer refused = call("POST", "/webhooks", "{\"url\": \"" + url + "\"}");
			assertThat(refused.status()).as(url).isEqualTo(400);
			assertThat(refused.body().get("code").asInt()).isEqualTo(1000);
			assertThat(refused.body().get("message").asString()).startsWith("url is not allowed");
		}
		assertThat(call("POST", "/webhooks", "{\"url\": \"" + receiverUrl("/ok") + "\", \"events\": [\"nope\"]}")
			.status()).isEqualTo(400);
		IntakeClient.Answer twice = call("POST", "/webhooks",
				"{\"url\": \"http://10.0.0.5/hook\", \"url\": \"" + receiverUrl("/ok") + "\"}");
		assertThat(twice.status()).isEqualTo(400);
		assertThat(twice.body().get("message").asString()).isEqualTo("The body gives a field twice.");
		IntakeClient.Answer xml = client.send(HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + "/webhooks"))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.header("Content-Type", "application/xml")
			.POST(HttpRequest.BodyPublishers.ofString("<url>" + receiverUrl("/ok") + "</url>"))
			.build());
		assertThat(xml.status()).isEqualTo(415);
		assertThat(xml.body().get("code").asInt()).isEqualTo(415);
		HttpResponse<String> located = HTTP.send(HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + "/webhooks"))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + receiverUrl("/ok") + "\", \"events\": " + PING_ONLY + "}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(located.statusCode()).isEqualTo(201);
		String created = JSON.readTree(located.body()).get("id").asString();
		assertThat(located.headers().firstValue("Location")).hasValue("/v1/webhooks/" + created);
		assertThat(call("DELETE", "/webhooks/" + created, null).status()).isEqualTo(204);
		assertThat(call("GET", "/webhooks/wh_000000000000000000000000", null).status()).isEqualTo(404);

		String id = subscribe("/paused", "[\"*\"]").body().get("id").asString();
		IntakeClient.Answer patched = call("PATCH", "/webhooks/" + id, "{\"enabled\": false, \"description\": \"paused\"}");
		assertThat(patched.status()).isEqualTo(200);
		assertThat(patched.body().get("enabled").asBoolean()).isFalse();
		assertThat(patched.body().get("description").asString()).isEqualTo("paused");
		// nothing is sent to a disabled subscription, so nothing is queued for it
		IntakeClient.Answer ping = call("POST", "/webhooks/" + id + "/test", "");
		assertThat(ping.status()).isEqualTo(409);
		assertThat(ping.body().get("code").asInt()).isEqualTo(409);
		assertThat(ping.body().get("message").asString()).contains("disabled");
		assertThat(call("DELETE", "/webhooks/" + id, null).status()).isEqualTo(204);
		assertThat(call("GET", "/webhooks/" + id, null).status()).isEqualTo(404);
		assertThat(call("GET", "/webhooks", null).body().get("data").findValuesAsString("id")).doesNotContain(id);
	}

	/**
	 * A PATCH may be a JSON merge patch, read as a JSON PATCH is: the fields it gives change, and a
	 * null keeps the value, as docs/events.md says (RFC 7396 would remove the member).
	 */
	@Test
	void aMergePatchChangesTheFieldsItGivesAndNullKeepsAValue() throws Exception {
		String id = subscribe("/paused", PING_ONLY).body().get("id").asString();
		try {
			IntakeClient.Answer patched = client.send(HttpRequest
				.newBuilder(URI.create(intake.settings().baseUrl() + "/webhooks/" + id))
				.header("Authorization", "Bearer " + intake.settings().apiToken())
				.header("Content-Type", "application/merge-patch+json")
				.method("PATCH", HttpRequest.BodyPublishers
					.ofString("{\"events\": [\"dev.intake.batch.completed.v1\"], \"description\": null, \"enabled\": null}"))
				.build());

			assertThat(patched.status()).as(patched.body().toString()).isEqualTo(200);
			assertThat(patched.body().get("events").get(0).asString()).isEqualTo("dev.intake.batch.completed.v1");
			assertThat(patched.body().get("events").size()).isEqualTo(1);
			assertThat(patched.body().get("description").asString()).isEqualTo("test");
			assertThat(patched.body().get("enabled").asBoolean()).isTrue();
			assertThat(call("GET", "/webhooks/" + id, null).body()).isEqualTo(patched.body());
		}
		finally {
			call("DELETE", "/webhooks/" + id, null);
		}
	}

	/** Creations at once stop at the tenant's limit: each one counts those before it. */
	@Test
	void creationsAtOnceStopAtTheTenantsLimit() throws Exception {
		int before = call("GET", "/webhooks", null).body().get("data").size();
		int limit = SharedStack.WEBHOOKS_PER_TENANT;
		ExecutorService senders = Executors.newFixedThreadPool(8);
		List<Future<IntakeClient.Answer>> creations = new ArrayList<>();
		try {
			for (int i = 0; i < limit - before + 6; i++) {
				creations.add(senders.submit(() -> call("POST", "/webhooks",
						"{\"url\": \"" + receiverUrl("/ok") + "\", \"events\": " + PING_ONLY + "}")));
			}
			List<IntakeClient.Answer> answers = new ArrayList<>();
			for (Future<IntakeClient.Answer> creation : creations) {
				answers.add(creation.get());
			}
			try {
				assertThat(answers).extracting(IntakeClient.Answer::status).containsOnly(201, 400);
				assertThat(answers).filteredOn(answer -> answer.status() == 201).hasSize(limit - before);
				assertThat(call("GET", "/webhooks", null).body().get("data").size()).isEqualTo(limit);
			}
			finally {
				List<Future<IntakeClient.Answer>> deletions = new ArrayList<>();
				for (IntakeClient.Answer answer : answers) {
					if (answer.status() == 201) {
						deletions.add(senders.submit(
								() -> call("DELETE", "/webhooks/" + answer.body().get("id").asString(), null)));
					}
				}
				for (Future<IntakeClient.Answer> deletion : deletions) {
					deletion.get();
				}
			}
		}
		finally {
			senders.shutdownNow();
		}
	}

	private static IntakeClient.Answer subscribe(String path, String events) throws Exception {
		IntakeClient.Answer created = call("POST", "/webhooks",
				"{\"url\": \"" + receiverUrl(path) + "\", \"events\": " + events + ", \"description\": \"test\"}");
		if (created.status() == 201) {
			secrets.putIfAbsent(path, List.of(created.body().get("secret").asString()));
		}
		return created;
	}

	private static String receiverUrl(String path) {
		return stack.loopbackUrl("/hooks" + path);
	}

	private static Delivered find(String path, String type) {
		return verified.getOrDefault(path, new ConcurrentLinkedQueue<>())
			.stream()
			.filter(d -> type.equals(d.event().get("type").asString()))
			.findFirst()
			.orElse(null);
	}

	private static IntakeClient.Answer call(String method, String path, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(intake.settings().baseUrl() + path))
			.header("Authorization", "Bearer " + intake.settings().apiToken())
			.timeout(Duration.ofSeconds(60));
		if (json != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return client.send(request.build());
	}

	/** The local tenant's webhook delivery attempts of {@code outcome}, as the worker's Prometheus scrape has them. */
	private static double deliveriesCounted(String outcome) throws IOException, InterruptedException {
		HttpResponse<String> scrape = HTTP.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + intake.managementPort("worker-service") + "/actuator/prometheus"))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(scrape.statusCode()).isEqualTo(200);
		String series = "intake_webhook_deliveries_total{outcome=\"" + outcome + "\",tenant=\"local\"} ";
		return scrape.body()
			.lines()
			.filter(line -> line.startsWith(series))
			.mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim()))
			.sum();
	}

	/** Verifies the request with every secret of the path, records it, answers {@code status} (400 when unverified). */
	private static void answer(HttpExchange exchange, String path, int status) throws IOException {
		try (exchange) {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			// header names are case-insensitive; the library looks them up in lower case
			Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			headers.putAll(exchange.getRequestHeaders());
			try {
				for (String secret : secrets.getOrDefault(path, List.of())) {
					new Webhook(secret).verify(body, headers);
				}
				if (!secrets.containsKey(path)) {
					throw new WebhookVerificationException("no secret known yet");
				}
			}
			catch (WebhookVerificationException | EmptyWebhookSecretException ex) {
				unverified.incrementAndGet();
				exchange.sendResponseHeaders(400, -1);
				return;
			}
			verified.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>())
				.add(new Delivered(exchange.getRequestHeaders().getFirst("webhook-id"), JSON.readTree(body)));
			exchange.sendResponseHeaders(status, -1);
		}
	}

}
