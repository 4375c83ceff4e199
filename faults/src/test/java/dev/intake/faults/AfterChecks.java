package dev.intake.faults;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
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
 * <li>exactly one original object per succeeded item, at the key its sha256 names, and no other
 * original of the tenant; no rendition of anything else;</li>
 * <li>no orphans: no incomplete multipart upload, and no staged object of the tenant except the
 * one of an item that failed {@code RETRIES_EXHAUSTED} or {@code PROCESSING_FAILED}: those bytes
 * are kept on purpose so the item can be retried (worker README, "Staged bytes"), one object at
 * {@code staging/{tenant}/{upload}/{index}} of that item's index.</li>
 * </ul>
 */
final class AfterChecks {

	/** What the batch ended with: succeeded items, and failed items by code. */
	record Outcome(int succeeded, Map<String, Integer> failedByCode, Map<Integer, JsonNode> items) {

		int failed() {
			return failedByCode.values().stream().mapToInt(Integer::intValue).sum();
		}

	}

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

	private static void originals(S3Client s3, String tenant, Outcome outcome) {
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
		assertThat(originals.keySet()).as("exactly the originals of the succeeded items")
			.containsExactlyInAnyOrderElementsOf(expected);
		for (JsonNode item : outcome.items().values()) {
			if ("TASK_SUCCEEDED".equals(item.get("status").asString())) {
				JsonNode image = item.get("image");
				String key = prefix + image.get("sha256").asString() + "." + image.get("format").asString();
				assertThat(originals.get(key)).as("size of %s", key).isEqualTo(image.get("size").asLong());
			}
		}
	}

	/** Codes of failures whose staged bytes are kept for a retry of the item. */
	static final Set<String> RETRYABLE = Set.of("RETRIES_EXHAUSTED", "PROCESSING_FAILED");

	/**
	 * No staged object of the tenant but those kept for retryable items, and no incomplete
	 * multipart upload. A worker deletes the staged object just after it publishes the result, so
	 * this waits a little for the last ones.
	 */
	private static void noOrphans(S3Client s3, String tenant, Outcome outcome) {
		String staging = "staging/" + tenant + "/";
		Set<String> kept = new HashSet<>();
		outcome.items().forEach((index, item) -> {
			if (RETRYABLE.contains(item.path("error_code").asString(""))) {
				kept.add(String.valueOf(index));
			}
		});
		await().atMost(Duration.ofSeconds(30))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(orphans(keys(s3, staging), kept))
				.as("staged objects left behind (kept for retry: items %s)", kept)
				.isEmpty());
		List<String> staged = keys(s3, staging);
		assertThat(staged.stream().map(key -> key.substring(key.lastIndexOf('/') + 1)).toList())
			.as("one kept staged object per retryable item").doesNotHaveDuplicates();
		if (!staged.isEmpty()) {
			Faults.log(tenant + ": staged objects kept for retryable items: " + staged.size());
		}
		List<String> uploads = s3.listMultipartUploadsPaginator(b -> b.bucket(Stack.BUCKET))
			.uploads()
			.stream()
			.map(MultipartUpload::key)
			.toList();
		assertThat(uploads).as("incomplete multipart uploads").isEmpty();
	}

	private static List<String> orphans(List<String> staged, Set<String> keptIndexes) {
		return staged.stream().filter(key -> !keptIndexes.contains(key.substring(key.lastIndexOf('/') + 1))).toList();
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
