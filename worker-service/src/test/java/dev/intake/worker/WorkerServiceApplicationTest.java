package dev.intake.worker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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
import dev.intake.contracts.Topics;
import dev.intake.testsupport.S3ProxyFixture;
import dev.intake.testsupport.TestImages;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The worker as the local launcher starts it, against a real embedded Kafka broker and a real
 * S3 server: jobs in, results and dead letters out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerServiceApplicationTest {

	private static final String BUCKET = "intake";

	/**
	 * Longest wait for a record: the first includes the share group's start and the last a job's
	 * retries against a stopped S3, which on a busy machine can take well over 30 s. Only a
	 * failing run waits this long.
	 */
	private static final Duration WAIT = Duration.ofMinutes(3);

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String TRACE_PARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

	private static EmbeddedKafkaKraftBroker kafka;

	private static S3ProxyFixture s3;

	private static ConfigurableApplicationContext worker;

	private static KafkaProducer<String, byte[]> jobs;

	private static KafkaConsumer<String, byte[]> results;

	private static KafkaConsumer<String, byte[]> deadLetters;

	private static final List<ConsumerRecord<String, byte[]>> seenResults = new ArrayList<>();

	private static final List<ConsumerRecord<String, byte[]>> seenDeadLetters = new ArrayList<>();

	@BeforeAll
	static void startWorker() throws Exception {
		// the broker settings the workers' share group needs, as the compose and embedded brokers have them
		kafka = new EmbeddedKafkaKraftBroker(1, 2);
		kafka.brokerProperties(Map.of("share.coordinator.state.topic.replication.factor", "1",
				"share.coordinator.state.topic.min.isr", "1", "group.share.max.record.lock.duration.ms", "900000",
				"group.share.delivery.count.limit", "10"));
		kafka.afterPropertiesSet();
		s3 = S3ProxyFixture.start().withBucket(BUCKET);
		Path tempDir = Files.createTempDirectory("worker-test");
		worker = WorkerServiceApplication.application()
			.run("--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(), "--server.port=0",
					"--server.address=127.0.0.1", "--management.server.port=0",
					"--intake.s3.endpoint=" + s3.endpoint(),
					"--intake.s3.access-key=" + S3ProxyFixture.ACCESS_KEY,
					"--intake.s3.secret-key=" + S3ProxyFixture.SECRET_KEY, "--intake.s3.bucket=" + BUCKET,
					"--intake.topics.replication-factor=1", "--intake.topics.job-partitions=2",
					"--intake.topics.batch-partitions=2", "--intake.worker.jobs.retry.max-retries=2",
					"--intake.worker.jobs.retry.initial-interval=50ms", "--intake.worker.temp-dir=" + tempDir);
		jobs = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
				new StringSerializer(), new ByteArraySerializer());
		results = consumerOf(Topics.RESULTS.name());
		deadLetters = consumerOf(Topics.JOBS_DLT);
	}

	@AfterAll
	static void stopWorker() throws Exception {
		if (worker != null) {
			worker.close();
		}
		jobs.close();
		results.close();
		deadLetters.close();
		s3.close();
		kafka.destroy();
	}

	@Test
	@Order(1)
	void ingestsAStagedImageAndPublishesItsResultKeyedByBatch() throws Exception {
		IngestImage job = stagedJob("acme", "b-1", 0, TestImages.jpeg(120, 90));
		byte[] value = Topics.JOBS.valueSerde().serializer().serialize(Topics.JOBS.name(), job);
		var record0 = new ProducerRecord<String, byte[]>(Topics.JOBS.name(), job.itemId(), value);
		// the trace of the submit that published the job
		record0.headers().add("traceparent", (TRACE_PARENT).getBytes(StandardCharsets.US_ASCII));
		jobs.send(record0).get();

		ConsumerRecord<String, byte[]> record = awaitResultFor(job);
		assertThat(record.key()).isEqualTo("acme/b-1");
		// the result continues that trace: same trace id, the worker's own span
		var traceparent = record.headers().lastHeader("traceparent");
		assertThat(traceparent).isNotNull();
		String continued = new String(traceparent.value(), StandardCharsets.US_ASCII);
		assertThat(continued.split("-")[1]).isEqualTo(TRACE_ID);
		assertThat(continued.split("-")[2]).isNotEqualTo(TRACE_PARENT.split("-")[2]);
		ImageStored stored = (ImageStored) result(record);
		assertThat(stored.image().format()).isEqualTo(ImageFormat.JPEG);
		assertThat(stored.image()).extracting("width", "height").containsExactly(120, 90);
		assertThat(s3.exists(BUCKET, stored.image().key())).isTrue();
		// the upload is deleted once the result is published, so a moment after it arrives
		String upload = ((ItemSource.Staged) job.source()).blob().key();
		Awaitility.await()
			.atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(s3.exists(BUCKET, upload)).isFalse());
	}

	@Test
	@Order(2)
	void isReadyWithKafkaAndS3OnTheManagementPort() throws Exception {
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("UP");
		HttpResponse<String> metrics = get("/actuator/prometheus");
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).contains("intake_items_stored_total{tenant=\"acme\"}", "intake_submit_to_stored_seconds_bucket",
				"intake_renditions_duration_seconds_count", "intake_s3_requests_total{",
				"kafka_producer_record_error_total");
		assertThat(HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(
					"http://127.0.0.1:" + worker.getEnvironment().getProperty("local.server.port") + "/actuator/health"))
				.build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).as("nothing of actuator on the service's port").isEqualTo(404);
	}

	@Test
	@Order(2)
	void exportsNoSpansWithoutAnOtlpEndpoint() {
		// the result above continued its job's trace, yet without an exporter no span is recorded or sent anywhere
		assertThat(worker.getBeansOfType(SpanExporter.class)).isEmpty();
		assertThat(worker.getEnvironment().getProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
			.isNull();
	}

	private static HttpResponse<String> get(String path) throws Exception {
		String port = worker.getEnvironment().getProperty("local.management.port");
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	@Test
	@Order(3)
	void deadLettersUnreadableRecordsOnceAndGoesOn() throws Exception {
		byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
		jobs.send(new ProducerRecord<>(Topics.JOBS.name(), "acme/b-2/0", garbage)).get();
		jobs.send(new ProducerRecord<>(Topics.JOBS.name(), "acme/b-2/2", null)).get();
		IngestImage next = stagedJob("acme", "b-2", 1, TestImages.png(5, 5));
		send(next);

		assertThat(result(awaitResultFor(next))).isInstanceOf(ImageStored.class);
		ConsumerRecord<String, byte[]> dead = await(deadLetters, seenDeadLetters, r -> "acme/b-2/0".equals(r.key()));
		assertThat(dead.value()).isEqualTo(garbage);
		assertThat(dead.headers().lastHeader("kafka_dlt-exception-fqcn")).isNotNull();
		assertThat(await(deadLetters, seenDeadLetters, r -> "acme/b-2/2".equals(r.key())).value()).isNull();
	}

	@Test
	@Order(4)
	void anUnexpectedFailureDeadLettersTheJobAndFailsTheItem() throws Exception {
		IngestImage job = new IngestImage("acme", "b-3", "acme/b-3/0", 0, "x.png", new ItemSource.Staged(
				new BlobRef("no-such-bucket", ObjectKeys.staged("acme", "u", 0), 1, "image/png"), "x.png"), 1);
		send(job);

		ImageFailed failed = (ImageFailed) result(awaitResultFor(job));
		assertThat(failed.code()).isEqualTo("PROCESSING_FAILED");
		assertThat(await(deadLetters, seenDeadLetters, r -> "acme/b-3/0".equals(r.key()))).isNotNull();
	}

	@Test
	@Order(5)
	void jobsChooseTheirRenditionProfileAndWhetherDocumentsAreAccepted() throws Exception {
		IngestImage photo = withOptions(stagedJob("acme", "b-5", 0, TestImages.jpeg(1000, 500)),
				new IngestOptions("inventorum", false));
		IngestImage pdf = withOptions(stagedJob("acme", "b-5", 1, TestDocuments.pdf()), new IngestOptions("anqicms", true));
		IngestImage unknown = withOptions(stagedJob("acme", "b-5", 2, TestImages.png(5, 5)),
				new IngestOptions("no-such-profile", false));
		send(photo);
		send(pdf);
		send(unknown);

		ImageStored stored = (ImageStored) result(awaitResultFor(photo));
		assertThat(stored.image().renditions()).extracting(Rendition::name, Rendition::width)
			.containsExactlyInAnyOrder(tuple("thumb", 150), tuple("thumb_retina", 300), tuple("ipad", 768),
					tuple("image", 768), tuple("ipad_retina", 1000), tuple("ebay", 1000));
		ImageStored document = (ImageStored) result(awaitResultFor(pdf));
		assertThat(document.image().document()).isEqualTo(DocumentFormat.PDF);
		assertThat(document.image().key()).startsWith("files/acme/").endsWith(".pdf");
		assertThat(s3.exists(BUCKET, document.image().key())).isTrue();
		ImageFailed failed = (ImageFailed) result(awaitResultFor(unknown));
		assertThat(failed.code()).isEqualTo("PROCESSING_FAILED");
		ConsumerRecord<String, byte[]> dead = await(deadLetters, seenDeadLetters, r -> "acme/b-5/2".equals(r.key()));
		assertThat(new String(dead.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8))
			.contains("unknown rendition profile 'no-such-profile'");
	}

	@Test
	@Order(6)
	void whenS3StaysDownTheItemFailsAfterTheRetries() throws Exception {
		IngestImage job = stagedJob("acme", "b-4", 0, TestImages.png(5, 5));
		s3.stop();
		send(job);

		ImageFailed failed = (ImageFailed) result(awaitResultFor(job));
		assertThat(failed.code()).isEqualTo("RETRIES_EXHAUSTED");
		assertThat(await(deadLetters, seenDeadLetters, r -> "acme/b-4/0".equals(r.key()))).isNotNull();
	}

	private static IngestImage stagedJob(String tenant, String batchId, int index, byte[] bytes) {
		String key = ObjectKeys.staged(tenant, batchId + "-upload", index);
		s3.put(BUCKET, key, bytes);
		return new IngestImage(tenant, batchId, tenant + "/" + batchId + "/" + index, index, "image-" + index,
				new ItemSource.Staged(new BlobRef(BUCKET, key, bytes.length, "image/png"), "image-" + index), 1);
	}

	private static IngestImage withOptions(IngestImage job, IngestOptions options) {
		return new IngestImage(job.tenant(), job.batchId(), job.itemId(), job.index(), job.name(), job.source(),
				job.attempt(), options);
	}

	private static void send(IngestImage job) throws Exception {
		byte[] value = Topics.JOBS.valueSerde().serializer().serialize(Topics.JOBS.name(), job);
		jobs.send(new ProducerRecord<>(Topics.JOBS.name(), job.itemId(), value)).get();
	}

	private static ConsumerRecord<String, byte[]> awaitResultFor(IngestImage job) {
		return await(results, seenResults, r -> job.itemId().equals(result(r).itemId()));
	}

	private static ItemResult result(ConsumerRecord<String, byte[]> record) {
		return Topics.RESULTS.valueSerde().deserializer().deserialize(Topics.RESULTS.name(), record.value());
	}

	private static ConsumerRecord<String, byte[]> await(KafkaConsumer<String, byte[]> consumer,
			List<ConsumerRecord<String, byte[]>> seen, Predicate<ConsumerRecord<String, byte[]>> wanted) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			for (ConsumerRecord<String, byte[]> record : seen) {
				if (wanted.test(record)) {
					return record;
				}
			}
			consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
		}
		throw new AssertionError("no matching record within " + WAIT + "; saw " + seen.size());
	}

	private static KafkaConsumer<String, byte[]> consumerOf(String topic) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(), ConsumerConfig.GROUP_ID_CONFIG,
						"test-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new ByteArrayDeserializer());
		consumer.subscribe(List.of(topic));
		return consumer;
	}

}
