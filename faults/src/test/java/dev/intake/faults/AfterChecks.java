package dev.intake.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The checks every scenario ends with, read from the outside: status through the public API,
 * objects with an S3 client of the test's own.
 * <ul>
 * <li>every item in exactly one final state, and the counts equal the item tallies;</li>
 * <li>exactly one stored object per succeeded item, holding exactly the bytes its sha256 names:
 * its upload ({@code uploads/{hour}/{tenant}/{upload}/{index}}), or for a job queued under
 * {@code staging/} its copy at the key its sha256 names; served by the image origin at the item's
 * URL with those bytes; no other original of the tenant; no rendition of anything else;</li>
 * <li>no orphans: no incomplete multipart upload, and no upload object of the tenant except the
 * stored ones and the one of an item that failed {@code RETRIES_EXHAUSTED} or
 * {@code PROCESSING_FAILED}: those bytes are kept on purpose so the item can be retried (worker
 * README, "Staged bytes"), one object of that item's index.</li>
 * </ul>
 */
final class AfterChecks {

	/** What the batch ended with: succeeded items, and failed items by code. */
	record Outcome(int succeeded, Map<String, Integer> failedByCode, Map<Integer, JsonNode> items) {

		int failed() {
			return failedByCode.values().stream().mapToInt(Integer::intValue).sum();
		}

	}

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private AfterChecks() {
	}

	static Outcome verify(Stack stack, String tenant, JsonNode done) throws InterruptedException {
		Outcome outcome = itemsAndCounts(done);
		try (S3Client s3 = client(stack)) {
			originals(s3, tenant, outcome);
			noOrphans(s3, tenant, outcome);
		}
		Faults.log(tenant + "/" + done.get("batch_id").asString() + " after-checks hold: " + outcome.succeeded()
				+ " succeeded, failed " + outcome.failedByCode());
		return outcome;
	}

	private static Outcome itemsAndCounts(JsonNode done) {
		int total = done.get("total_count").asInt();
		assertThat(done.get("status").asString()).isEqualTo("TASK_SUCCEEDED");
		Map<Integer, JsonNode> items = new TreeMap<>();
		for (JsonNode item : done.get("results")) {
			int index = item.get("index").asInt();
			assertThat(items.put(index, item)).as("item %d reported once", index).isNull();
			assertThat(item.get("status").asString()).as("item %d final", index)
				.isIn("TASK_SUCCEEDED", "TASK_FAILED");
		}
		assertThat(items.keySet()).as("every item has a final state").hasSize(total);
		assertThat(items.keySet()).allMatch(index -> index >= 0 && index < total);
		int succeeded = 0;
		Map<String, Integer> failed = new TreeMap<>();
		for (JsonNode item : items.values()) {
			if ("TASK_SUCCEEDED".equals(item.get("status").asString())) {
				succeeded++;
				assertThat(item.get("image").get("sha256").asString()).hasSize(64);
			}
			else {
				String code = item.path("error_code").asString("");
				assertThat(code).as("failed item %s has a code", item).isNotBlank();
				assertThat(item.path("error_message").asString("")).as("failed item %s has a message", item).isNotBlank();
				failed.merge(code, 1, Integer::sum);
			}
		}
		int failedCount = failed.values().stream().mapToInt(Integer::intValue).sum();
		assertThat(done.get("processed_count").asInt()).as("processed_count").isEqualTo(total);
		assertThat(done.get("success_count").asInt()).as("success_count").isEqualTo(succeeded);
		assertThat(done.get("failed_count").asInt()).as("failed_count").isEqualTo(failedCount);
		return new Outcome(succeeded, failed, items);
	}

	/**
	 * One stored object per succeeded item, holding exactly its verified bytes, and served by the
	 * image origin at its URL with those bytes; no other original of the tenant, and no rendition of
	 * anything else.
	 */
	private static void originals(S3Client s3, String tenant, Outcome outcome) throws InterruptedException {
		String prefix = "images/" + tenant + "/";
		Set<String> expected = new HashSet<>();
		Set<String> hashes = new HashSet<>();
		for (JsonNode item : outcome.items().values()) {
			if ("TASK_SUCCEEDED".equals(item.get("status").asString())) {
				JsonNode image = item.get("image");
				String key = prefix + image.get("sha256").asString() + "." + image.get("format").asString();
				assertThat(item.get("image_url").asString()).as("image_url of item %s", item.get("index")).endsWith("/" + key);
				assertThat(expected.add(key)).as("one original per succeeded item (the images are all different)").isTrue();
				hashes.add(image.get("sha256").asString());
			}
		}
		Map<String, Long> originals = new HashMap<>();
		for (S3Object object : list(s3, prefix)) {
			String rest = object.key().substring(prefix.length());
			if (rest.contains("/")) {
				assertThat(hashes).as("rendition %s belongs to a succeeded item", object.key())
					.contains(rest.substring(0, rest.indexOf('/')));
			}
			else {
				originals.put(object.key(), object.size());
			}
		}
		// originals copied to their key (jobs queued under staging/) are of succeeded items only
		assertThat(expected).as("no original but those of the succeeded items").containsAll(originals.keySet());
		Map<String, List<S3Object>> uploadsByIndex = uploadsByIndex(s3, tenant);
		for (JsonNode item : outcome.items().values()) {
			if ("TASK_SUCCEEDED".equals(item.get("status").asString())) {
				JsonNode image = item.get("image");
				String index = item.get("index").asString();
				String sha256 = image.get("sha256").asString();
				String key = prefix + sha256 + "." + image.get("format").asString();
				// exactly one object holds the item's bytes: its upload, or (a staging/ job) its copy,
				// whose staged object noOrphans then waits to see deleted
				List<String> holding = new java.util.ArrayList<>();
				if (originals.containsKey(key)) {
					holding.add(key);
				}
				else {
					uploadsByIndex.getOrDefault(index, List.of()).forEach(object -> holding.add(object.key()));
				}
				assertThat(holding).as("one stored object of item %s", index).hasSize(1);
				byte[] bytes = read(s3, holding.get(0));
				assertThat((long) bytes.length).as("size of %s", holding.get(0)).isEqualTo(image.get("size").asLong());
				assertThat(sha256(bytes)).as("bytes of %s", holding.get(0)).isEqualTo(sha256);
				assertThat(sha256(served(item.get("image_url").asString())))
					.as("the origin serves the verified bytes of item %s", index)
					.isEqualTo(sha256);
			}
		}
	}

	/** Codes of failures whose staged bytes are kept for a retry of the item. */
	static final Set<String> RETRYABLE = Set.of("RETRIES_EXHAUSTED", "PROCESSING_FAILED");

	/**
	 * No upload (or staged) object of the tenant but the stored ones of succeeded items and those
	 * kept for retryable items, and no incomplete multipart upload. A worker deletes a rejected
	 * upload just after it publishes the result, and a duplicate's once the content index decided,
	 * so this waits a little for the last ones.
	 */
	private static void noOrphans(S3Client s3, String tenant, Outcome outcome) {
		Set<String> succeeded = new HashSet<>();
		Set<String> kept = new HashSet<>();
		Set<String> copied = new HashSet<>(keys(s3, "images/" + tenant + "/"));
		outcome.items().forEach((index, item) -> {
			JsonNode image = item.get("image");
			if ("TASK_SUCCEEDED".equals(item.get("status").asString()) && !copied.contains("images/" + tenant + "/"
					+ image.get("sha256").asString() + "." + image.get("format").asString())) {
				// stored where it was uploaded (not copied to its key): that upload stays
				succeeded.add(String.valueOf(index));
			}
			if (RETRYABLE.contains(item.path("error_code").asString(""))) {
				kept.add(String.valueOf(index));
			}
		});
		await().atMost(Duration.ofMinutes(2))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(orphans(uploadKeys(s3, tenant), succeeded, kept))
				.as("uploads left behind (stored: items %s; kept for retry: items %s)", succeeded, kept)
				.isEmpty());
		List<String> uploads = uploadKeys(s3, tenant);
		assertThat(uploads.stream().map(key -> key.substring(key.lastIndexOf('/') + 1)).toList())
			.as("one object per stored or retryable item").doesNotHaveDuplicates();
		if (!kept.isEmpty()) {
			Faults.log(tenant + ": uploads kept for retryable items: " + kept.size());
		}
		List<String> multipart = s3.listMultipartUploadsPaginator(b -> b.bucket(Stack.BUCKET))
			.uploads()
			.stream()
			.map(MultipartUpload::key)
			.toList();
		assertThat(multipart).as("incomplete multipart uploads").isEmpty();
	}

	private static List<String> orphans(List<String> uploads, Set<String> succeeded, Set<String> kept) {
		return uploads.stream().filter(key -> {
			String index = key.substring(key.lastIndexOf('/') + 1);
			return !succeeded.contains(index) && !kept.contains(index);
		}).toList();
	}

	/**
	 * Every object of the tenant under {@code uploads/{hour}/{tenant}/} and {@code staging/{tenant}/}:
	 * the api-service's uploads, the worker's of fetched URLs, claim checks queued before.
	 */
	private static List<String> uploadKeys(S3Client s3, String tenant) {
		List<String> keys = new java.util.ArrayList<>(keys(s3, "staging/" + tenant + "/"));
		for (S3Object object : list(s3, "uploads/")) {
			String[] segments = object.key().split("/");
			if (segments.length == 5 && segments[2].equals(tenant)) {
				keys.add(object.key());
			}
		}
		return keys;
	}

	/** The tenant's upload objects by the item index they end with. */
	private static Map<String, List<S3Object>> uploadsByIndex(S3Client s3, String tenant) {
		Set<String> tenantKeys = new HashSet<>(uploadKeys(s3, tenant));
		Map<String, List<S3Object>> byIndex = new HashMap<>();
		for (String prefix : List.of("staging/" + tenant + "/", "uploads/")) {
			for (S3Object object : list(s3, prefix)) {
				if (tenantKeys.contains(object.key())) {
					byIndex.computeIfAbsent(object.key().substring(object.key().lastIndexOf('/') + 1),
							index -> new java.util.ArrayList<>()).add(object);
				}
			}
		}
		return byIndex;
	}

	private static byte[] read(S3Client s3, String key) {
		return s3.getObjectAsBytes(b -> b.bucket(Stack.BUCKET).key(key)).asByteArray();
	}

	/** The body the image origin serves at {@code url} (200 expected). */
	private static byte[] served(String url) throws InterruptedException {
		try {
			HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofByteArray());
			assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
			return response.body();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static List<String> keys(S3Client s3, String prefix) {
		return list(s3, prefix).stream().map(S3Object::key).toList();
	}

	private static List<S3Object> list(S3Client s3, String prefix) {
		return s3.listObjectsV2Paginator(b -> b.bucket(Stack.BUCKET).prefix(prefix)).contents().stream().toList();
	}

	static S3Client client(Stack stack) {
		return S3Client.builder()
			.endpointOverride(URI.create(stack.s3Endpoint()))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(Stack.ACCESS_KEY, Stack.SECRET_KEY)))
			.build();
	}

}
