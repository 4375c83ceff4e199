package dev.intake.api.webhooks;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /v1/webhooks} and {@code PATCH /v1/webhooks/{id}}: on a PATCH, a field
 * left out (null) keeps its value.
 */
record WebhookRequest(@JsonProperty("url") String url, @JsonProperty("events") List<String> events,
		@JsonProperty("description") String description, @JsonProperty("enabled") Boolean enabled) {
}
