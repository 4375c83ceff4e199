package dev.intake.api.webhooks;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.intake.contracts.Webhook;

/** A subscription as the API shows it; the secret only in the answers that create or rotate it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WebhookAnswer(@JsonProperty("id") String id, @JsonProperty("url") String url,
		@JsonProperty("events") List<String> events, @JsonProperty("description") String description,
		@JsonProperty("enabled") boolean enabled, @JsonProperty("disabled_reason") String disabledReason,
		@JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
		@JsonProperty("secret") String secret) {

	static WebhookAnswer of(Webhook hook) {
		return new WebhookAnswer(hook.id(), hook.url(), hook.events(), hook.description(), hook.enabled(),
				hook.disabledReason(), hook.createdAt(), hook.updatedAt(), null);
	}

	static WebhookAnswer withSecret(Webhook hook) {
		return new WebhookAnswer(hook.id(), hook.url(), hook.events(), hook.description(), hook.enabled(),
				hook.disabledReason(), hook.createdAt(), hook.updatedAt(), hook.secret());
	}

}
