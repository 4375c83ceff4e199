package dev.intake.status.lookup;

import java.time.Duration;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Makes the {@link PeerRelay} of each kind of look-up (batch status, assets, nursery links) on one
 * client whose answers may be as large as {@code intake.status.forward-max-answer-size}, so a
 * forwarded answer is never cut at the HTTP client's default buffer while the same answer served
 * locally is whole.
 */
public final class PeerRelays {

	private final WebClient client;

	PeerRelays(WebClient client) {
		this.client = client;
	}

	/** The client itself, for forwarded look-ups that are streams rather than one answer. */
	WebClient client() {
		return client;
	}

	/** A relay whose forwarded look-ups end within {@code timeout}. */
	public PeerRelay relay(Duration timeout) {
		return new PeerRelay(client, timeout);
	}

}
