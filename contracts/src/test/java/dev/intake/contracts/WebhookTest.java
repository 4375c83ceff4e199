package dev.intake.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookTest {

	private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

	private static final Duration GRACE = Duration.ofHours(24);

	private static Webhook created() {
		return new Webhook("t", "wh_1", "https://hooks.example.com/x", List.of("*"), null, true, "s1", null, null, T0,
				T0, null, null);
	}

	@Test
	void aSecondRotationWithinTheGraceKeepsEverySecretSigningToTheEndOfItsOwnGrace() {
		Webhook once = created().rotated("s2", T0, T0.plus(GRACE));
		Webhook twice = once.rotated("s3", T0.plusSeconds(30), T0.plusSeconds(30).plus(GRACE));

		assertThat(once.signingSecrets(T0.plusSeconds(1))).containsExactly("s2", "s1");
		assertThat(twice.signingSecrets(T0.plusSeconds(31))).containsExactly("s3", "s2", "s1");
		// s1's grace began with the first rotation and ends with it
		assertThat(twice.signingSecrets(T0.plus(GRACE).plusSeconds(1))).containsExactly("s3", "s2");
		assertThat(twice.signingSecrets(T0.plus(GRACE).plusSeconds(31))).containsExactly("s3");
	}

	@Test
	void aRotationAfterTheGraceKeepsOnlyTheSecretBeforeIt() {
		Webhook once = created().rotated("s2", T0, T0.plus(GRACE));
		Instant later = T0.plus(GRACE).plusSeconds(60);
		Webhook twice = once.rotated("s3", later, later.plus(GRACE));

		assertThat(twice.earlierSecrets()).isEmpty();
		assertThat(twice.signingSecrets(later.plusSeconds(1))).containsExactly("s3", "s2");
	}

	@Test
	void rotationsKeepAtMostTheNewestEarlierSecrets() {
		Webhook hook = created();
		for (int i = 2; i <= 10; i++) {
			Instant now = T0.plusSeconds(i);
			hook = hook.rotated("s" + i, now, now.plus(GRACE));
		}

		assertThat(hook.earlierSecrets()).hasSize(Webhook.MAX_EARLIER_SECRETS);
		assertThat(hook.signingSecrets(T0.plusSeconds(11))).containsExactly("s10", "s9", "s8", "s7", "s6");
	}

	@Test
	void aSubscriptionWrittenBeforeEarlierSecretsExistedReadsWithNone() {
		String before = "{\"tenant\":\"t\",\"id\":\"wh_1\",\"url\":\"https://hooks.example.com/x\",\"events\":[\"*\"],"
				+ "\"enabled\":true,\"secret\":\"s2\",\"previousSecret\":\"s1\",\"previousSecretUntil\":\"2026-12-08T10:00:00Z\","
				+ "\"createdAt\":\"2026-12-07T10:00:00Z\",\"updatedAt\":\"2026-12-07T10:00:00Z\"}";

		Webhook read = Topics.WEBHOOKS.valueSerde()
			.deserializer()
			.deserialize(Topics.WEBHOOKS.name(), before.getBytes(StandardCharsets.UTF_8));

		assertThat(read.earlierSecrets()).isEmpty();
		assertThat(read.signingSecrets(T0)).containsExactly("s2", "s1");
		Webhook again = Topics.WEBHOOKS.valueSerde()
			.deserializer()
			.deserialize(Topics.WEBHOOKS.name(), Topics.WEBHOOKS.valueSerde()
				.serializer()
				.serialize(Topics.WEBHOOKS.name(), read.rotated("s3", T0, T0.plus(GRACE))));
		assertThat(again.signingSecrets(T0.plusSeconds(1))).containsExactly("s3", "s2", "s1");
	}

}
