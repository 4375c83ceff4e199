package dev.intake.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.BlobRef;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.ObjectKeys;
import dev.intake.contracts.SubmittedItem;
import dev.intake.contracts.Topics;
import dev.intake.testsupport.TestImages;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A decoder that throws on one image, and a poison record on {@code intake.jobs}: the job record
 * lands on {@code intake.jobs-dlt} with its reason in headers, the item fails with a code, and
 * the rest of the batch succeeds.
 */
@ExtendWith(Faults.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PoisonIT {

	private static final int IMAGES = 10;

	@AfterEach
	void endScenario() {
		Faults.endScenario();
	}

	@Test
	void aDecoderThatThrowsOnOneImage() throws Exception {
		Stack stack = Stack.shared();
		String batch = "decode-" + System.currentTimeMillis();
		List<TestImages.Named> images = TestImages.series(batch, IMAGES);
		int bad = 3;
		// the worker's test hook: the decode of this one file throws, as a decoder bug would
		Faults.involve(stack.startWorker("decode", "--intake.worker.fault-injection.fail-decode-of=" + images.get(bad).name()));
		Api api = new Api(stack, "decode");
		api.submitFiles(batch, images);
		JsonNode done = api.awaitDone(batch, Duration.ofMinutes(3));
		AfterChecks.Outcome outcome = AfterChecks.verify(stack, api.tenant(), done);
		assertThat(outcome.succeeded()).as("the rest of the batch succeeds").isEqualTo(IMAGES - 1);
		JsonNode failed = outcome.items().get(bad);
		assertThat(failed.get("status").asString()).isEqualTo("TASK_FAILED");
		assertThat(failed.get("error_code").asString()).isEqualTo("PROCESSING_FAILED");
		String itemId = ItemIds.of(new BatchKey(api.tenant(), batch), bad);
		List<ConsumerRecord<String, byte[]>> dead = DeadLetters.await(stack, api.tenant() + "/" + batch + "/",
				Duration.ofMinutes(2));
		assertThat(dead).as("dead-lettered jobs of the batch").isNotEmpty().allMatch(r -> r.key().equals(itemId));
		IngestImage job = Topics.JOBS.valueSerde().deserializer().deserialize(Topics.JOBS_DLT, dead.get(0).value());
		assertThat(job.index()).isEqualTo(bad);
		expectReasonHeaders(dead.get(0), "IllegalStateException");
	}

	/**
	 * A batch whose middle job is bytes no worker can read, written by a plain producer (as a
	 * broken or foreign producer would): the batch and the two good jobs are valid records with
	 * staged objects of their own.
	 */
	@Test
	void aPoisonRecordOnTheJobsTopic() throws Exception {
		Stack stack = Stack.shared();
		String tenant = "poison";
		String batch = "poison-" + System.currentTimeMillis();
		BatchKey key = new BatchKey(tenant, batch);
		String upload = UUID.randomUUID().toString();
		List<SubmittedItem> items = new ArrayList<>();
		List<IngestImage> jobs = new ArrayList<>();
		try (S3Client s3 = AfterChecks.client(stack)) {
			for (int index = 0; index < 3; index++) {
				byte[] bytes = TestImages.numbered(batch, index);
				String staged = ObjectKeys.staged(tenant, upload, index);
				if (index != 1) {
					s3.putObject(b -> b.bucket(Stack.BUCKET).key(staged), RequestBody.fromBytes(bytes));
				}
				ItemSource source = new ItemSource.Staged(new BlobRef(Stack.BUCKET, staged, bytes.length, "image/png"),
						"p-" + index + ".png");
				items.add(new SubmittedItem(index, ItemIds.of(key, index), "p-" + index + ".png", source));
				jobs.add(new IngestImage(tenant, batch, ItemIds.of(key, index), index, "p-" + index + ".png", source, 1));
			}
		}
		Faults.involve(stack.startWorker("poison"));
		DeadLetters.send(stack, Topics.BATCHES.name(), key.toString(), Topics.BATCHES.valueSerde()
			.serializer()
			.serialize(Topics.BATCHES.name(), new BatchSubmitted(tenant, batch, Instant.now(), items)));
		byte[] poison = "{\"this is\": not a job".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		for (IngestImage job : jobs) {
			byte[] value = (job.index() == 1) ? poison
					: Topics.JOBS.valueSerde().serializer().serialize(Topics.JOBS.name(), job);
			DeadLetters.send(stack, Topics.JOBS.name(), job.itemId(), value);
		}
		List<ConsumerRecord<String, byte[]>> dead = DeadLetters.await(stack, key + "/", Duration.ofMinutes(1));
		assertThat(dead).as("dead-lettered jobs of the batch").isNotEmpty()
			.allMatch(r -> r.key().equals(ItemIds.of(key, 1)));
		assertThat(dead.get(0).value()).as("the poison record as it was written").isEqualTo(poison);
		expectReasonHeaders(dead.get(0), "DeserializationException");
		Api api = new Api(stack, tenant);
		JsonNode done = api.awaitDone(batch, Duration.ofMinutes(1));
		AfterChecks.Outcome outcome = AfterChecks.verify(stack, tenant, done);
		assertThat(outcome.succeeded()).as("the rest of the batch succeeds").isEqualTo(2);
		assertThat(outcome.items().get(1).get("error_code").asString()).isEqualTo("PROCESSING_FAILED");
	}

	private static void expectReasonHeaders(ConsumerRecord<String, byte[]> record, String exception) {
		Faults.log("DLT record key=" + record.key() + " fqcn=" + DeadLetters.header(record, "kafka_dlt-exception-fqcn")
				+ " cause=" + DeadLetters.header(record, "kafka_dlt-exception-cause-fqcn") + " message="
				+ DeadLetters.header(record, "kafka_dlt-exception-message"));
		assertThat(DeadLetters.header(record, "kafka_dlt-original-topic")).isEqualTo(Topics.JOBS.name());
		assertThat(DeadLetters.header(record, "kafka_dlt-exception-message")).isNotBlank();
		String causes = DeadLetters.header(record, "kafka_dlt-exception-fqcn") + " "
				+ DeadLetters.header(record, "kafka_dlt-exception-cause-fqcn") + " "
				+ DeadLetters.header(record, "kafka_dlt-exception-message");
		assertThat(causes).as("the reason names the failure").contains(exception);
	}

}
