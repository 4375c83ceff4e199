package dev.intake.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.intake.api.retry.RecordingRetryPublisher;
import dev.intake.api.submission.RecordingBatchPublisher;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * The api-service on a random port against {@link TestServers}, with batches recorded by
 * {@link RecordingBatchPublisher} (and retry rounds by {@link RecordingRetryPublisher}) instead of going to Kafka (no broker needed). Every test class
 * with this annotation shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = ApiServiceApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=api-service", "intake.auth.tokens.local=" + TestServers.TOKEN,
				"intake.auth.tokens.other=" + TestServers.OTHER_TENANT_TOKEN, "intake.s3.bucket=" + TestServers.BUCKET,
				"intake.s3.access-key=test", "intake.s3.secret-key=test-secret", "intake.s3.create-bucket=true",
				"intake.topics.create=false", "spring.kafka.bootstrap-servers=127.0.0.1:9",
				"intake.status-service.timeout=1s" })
@ContextConfiguration(initializers = TestServers.Initializer.class)
@Import({ RecordingBatchPublisher.Configuration.class, RecordingRetryPublisher.Configuration.class })
public @interface ApiServiceTest {

}
