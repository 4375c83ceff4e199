package dev.intake.api.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.EventType;
import dev.intake.contracts.Topics;
import dev.intake.contracts.Webhook;
import dev.intake.platform.webhooks.WebhookWrites;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A batch's {@code callback_url}: one signed notification of its {@code batch.completed}, for
 * clients that do not manage subscriptions. Checked by the same address policy as a
 * subscription's URL before anything is claimed, then registered as a one-shot subscription of
 * the batch (on {@code intake.webhooks}, before the batch is published, so the dispatcher knows it
 * when the batch completes); the dispatcher delivers it like any event, retries included, signed
 * with a secret of its own that the submit answer shows once. Blocking work runs off the event loop.
 */
public final class BatchCallbacks {

	private final WebhookSubscriptions subscriptions;

	private final WebhookWrites writes;

	private final Clock clock;

	BatchCallbacks(WebhookSubscriptions subscriptions, WebhookWrites writes, Clock clock) {
		this.subscriptions = subscriptions;
		this.writes = writes;
		this.clock = clock;
	}

	/** The URL as it will be used; a 400 {@link ApiProblem} when the address policy refuses it. */
	public Mono<String> check(String url) {
		return Mono.fromCallable(() -> subscriptions.checkUrl("callback_url", url)).subscribeOn(Schedulers.boundedElastic());
	}

	/** Registers the callback of a batch about to be published; emits its signing secret. */
	public Mono<String> register(String tenant, String batchId, String url) {
		return Mono.fromCallable(() -> {
			String secret = subscriptions.newSecret();
			Instant now = clock.instant();
			Webhook callback = new Webhook(tenant, Webhook.callbackId(batchId), url,
					List.of(EventType.BATCH_COMPLETED.type()), null, true, secret, null, null, now, now, null, batchId);
			writes.write(Topics.WEBHOOKS, callback.key(), callback);
			return secret;
		})
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(ex -> !(ex instanceof ApiProblem),
					ex -> ApiProblem.unavailable("The callback could not be registered; try again.", Duration.ofSeconds(5)));
	}

	/** Drops the callback of a batch that was not published after all (best effort). */
	public Mono<Void> forget(String tenant, String batchId) {
		return Mono.<Void>fromCallable(() -> {
			writes.write(Topics.WEBHOOKS, Webhook.key(tenant, Webhook.callbackId(batchId)), null);
			return null;
		}).subscribeOn(Schedulers.boundedElastic()).onErrorResume(ex -> Mono.empty());
	}

}
