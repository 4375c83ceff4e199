package dev.intake.api.webhooks;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.intake.contracts.WebhookAttempt;

/** One delivery attempt in {@code GET /v1/webhooks/{id}/deliveries}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AttemptAnswer(@JsonProperty("delivery_id") String deliveryId, @JsonProperty("event_type") String eventType,
		@JsonProperty("attempt") int attempt, @JsonProperty("status") String status,
		@JsonProperty("response_code") int responseCode, @JsonProperty("duration_ms") long durationMillis,
		@JsonProperty("error") String error, @JsonProperty("attempted_at") Instant attemptedAt,
		@JsonProperty("next_attempt_at") Instant nextAttemptAt) {

	static AttemptAnswer of(WebhookAttempt attempt) {
		return new AttemptAnswer(attempt.delivery().deliveryId(), attempt.delivery().eventType(), attempt.attempt(),
				attempt.status(), attempt.responseCode(), attempt.durationMillis(), attempt.error(),
				attempt.attemptedAt(), attempt.nextAttemptAt());
	}

}
