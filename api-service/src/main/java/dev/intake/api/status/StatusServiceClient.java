package dev.intake.api.status;

import java.time.Duration;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The status-service's internal API as this api-service reaches it: base URL, the shared service
 * credential on every request, and the look-up deadline. One place for every route that asks it
 * (status, live events, retry).
 */
public final class StatusServiceClient {

	private final WebClient client;

	private final Duration timeout;

	StatusServiceClient(WebClient client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	public WebClient webClient() {
		return client;
	}

	/** The deadline of one look-up ({@code intake.status-service.timeout}). */
	public Duration timeout() {
		return timeout;
	}

}
