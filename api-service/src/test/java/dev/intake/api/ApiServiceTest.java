package dev.intake.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.intake.api.auth.TestIssuer;
import dev.intake.api.retry.RecordingRetryPublisher;
import dev.intake.api.publish.RecordingBatchPublisher;

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
		properties = { "spring.config.name=api-service", "intake.security.api-keys.local.tenant=local",
				"intake.security.api-keys.local.hash=" + TestServers.TOKEN_HASH,
				"intake.security.api-keys.other.tenant=other",
				"intake.security.api-keys.other.hash=" + TestServers.OTHER_TENANT_TOKEN_HASH,
				"intake.security.api-keys.reader.tenant=local", "intake.security.api-keys.reader.scopes=images:read",
				"intake.security.api-keys.reader.hash=" + TestServers.READ_ONLY_TOKEN_HASH,
				"intake.security.api-keys.writer.tenant=local", "intake.security.api-keys.writer.scopes=images:write",
				"intake.security.api-keys.writer.hash=" + TestServers.WRITE_ONLY_TOKEN_HASH,
				"intake.security.jwt.issuer=" + TestIssuer.ISSUER, "intake.security.jwt.audiences=" + TestIssuer.AUDIENCE,
				"intake.security.jwt.hmac-secret=" + TestIssuer.HMAC_SECRET, "intake.internal.token=" + TestServers.INTERNAL_TOKEN,
				"intake.s3.bucket=" + TestServers.BUCKET,
				"intake.s3.access-key=test", "intake.s3.secret-key=test-secret", "intake.s3.create-bucket=true",
				"intake.topics.create=false", "spring.kafka.bootstrap-servers=127.0.0.1:9",
				// 5 s: every look-up of the fake status-service must come back within it on a busy machine
				// (its "slow" batch answers only after a minute)
				"intake.status-service.timeout=5s", "intake.assets.answer-timeout=2s", "intake.s3.connection-acquire-timeout=2s",
				// no broker here: the webhook routes answer 503 once their view gives up catching up
				"intake.webhooks.catch-up=500ms" })
@ContextConfiguration(initializers = TestServers.Initializer.class)
@Import({ RecordingBatchPublisher.Configuration.class, RecordingRetryPublisher.Configuration.class })
public @interface ApiServiceTest {

}
