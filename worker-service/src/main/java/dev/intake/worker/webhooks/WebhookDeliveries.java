package dev.intake.worker.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.intake.contracts.LogSafe;
import dev.intake.contracts.Topics;
import dev.intake.contracts.Webhook;
import dev.intake.contracts.WebhookAttempt;
import dev.intake.contracts.WebhookDelivery;
import dev.intake.platform.webhooks.WebhookRegistry;
import dev.intake.platform.webhooks.WebhookWrites;
import dev.intake.platform.webhooks.WebhooksProperties;
import dev.intake.worker.metrics.WorkerMetrics;
import dev.intake.worker.metrics.WorkerMetrics.DeliveryOutcome;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;

/**
 * Makes the attempts of {@code intake.webhook-deliveries}: the first from that topic, each retry
 * from its retry topic ({@code …-retry-N}, due after the N+1st wait of the schedule plus this
 * record's own jitter, see {@link RetryDue}). A subscription's delivery goes to its current URL, signed with
 * its current secrets, and is dropped once the subscription is deleted or disabled. Every attempt
 * is recorded to {@code intake.webhook-attempts} (without waiting). A failed attempt with attempts left throws
 * {@link DeliveryFailed}, which moves the record to the next retry topic; the last failed attempt
 * is recorded failed, and an answer of 410 also disables the subscription. At-least-once: the
 * record's offset is committed after its attempt, with the rest of its poll (a dispatcher that
 * dies mid-delivery leaves the record, and the others of its poll, to another). Each attempt,
 * and each dropped delivery, is counted by outcome ({@link WorkerMetrics#WEBHOOK_DELIVERIES}).
 */
class WebhookDeliveries {

	private static final Log logger = LogFactory.getLog(WebhookDeliveries.class);

	private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);

	private static final Pattern RETRY_TOPIC = Pattern.compile("-retry-(\\d+)$");

	private final WebhookRegistry registry;

	private final WebhookSender sender;

	private final WebhookWrites writes;

	private final WebhooksProperties props;

	private final Clock clock;

	private final WorkerMetrics metrics;
	private final DeliverySchedule schedule;

	WebhookDeliveries(WebhookRegistry registry, WebhookSender sender, WebhookWrites writes, WebhooksProperties props,
			Clock clock, WorkerMetrics metrics) {
		this.registry = registry;
		this.sender = sender;
		this.writes = writes;
		this.props = props;
		this.clock = clock;
		this.metrics = metrics;
		this.schedule = new DeliverySchedule(props.retrySchedule(), props.jitterFraction());
	}

	@KafkaListener(id = "webhook-deliveries", groupId = "intake-webhook-deliveries",
			topics = "#{T(dev.intake.contracts.Topics).WEBHOOK_DELIVERIES.name()}",
			containerFactory = "webhookDeliveryContainerFactory")
	void onDelivery(ConsumerRecord<String, WebhookDelivery> record) throws Exception {
		WebhookDelivery delivery = record.value();
		int attempt = attemptOf(record.topic());
		String url;
		List<String> secrets;
		Optional<Webhook> hook = Optional.empty();
		if (delivery.isCallback()) {
			url = delivery.url();
			secrets = List.of(delivery.callbackSecret());
		}
		else {
			hook = registry.find(delivery.tenant(), delivery.webhookId());
			if (hook.isEmpty() && registry.sync(SYNC_TIMEOUT)) {
				// created a moment ago, and this instance has not read it yet
				hook = registry.find(delivery.tenant(), delivery.webhookId());
			}
			if (hook.isEmpty() || !hook.get().enabled()) {
				logger.info("Dropped delivery " + delivery.deliveryId() + ": webhook " + delivery.webhookId()
						+ " of tenant " + LogSafe.text(delivery.tenant()) + " is deleted or disabled");
				metrics.webhookDelivery(delivery.tenant(), DeliveryOutcome.DROPPED);
				return;
			}
			url = hook.get().url();
			secrets = hook.get().signingSecrets(clock.instant());
		}
		WebhookSender.Outcome outcome = sender.send(url, delivery.deliveryId(), delivery.body(), secrets);
		Instant now = clock.instant();
		if (outcome.delivered()) {
			metrics.webhookDelivery(delivery.tenant(), DeliveryOutcome.DELIVERED);
			record(delivery, attempt, WebhookAttempt.DELIVERED, outcome, null);
			return;
		}
		if (outcome.gone() && hook.isPresent()) {
			metrics.webhookDelivery(delivery.tenant(), DeliveryOutcome.FAILED);
			record(delivery, attempt, WebhookAttempt.FAILED, outcome, null);
			disable(hook.get(), now);
			return;
		}
		if (outcome.gone() || attempt >= props.maxAttempts()) {
			metrics.webhookDelivery(delivery.tenant(), DeliveryOutcome.FAILED);
			record(delivery, attempt, WebhookAttempt.FAILED, outcome, null);
			logger.info("Delivery " + delivery.deliveryId() + " failed for good after " + attempt + " attempt(s): "
					+ outcome.error());
			return;
		}
		metrics.webhookDelivery(delivery.tenant(), DeliveryOutcome.RETRIED);
		// the jitter is drawn per record: deliveries that failed together do not all come back together
		Instant due = now.plus(schedule.jitteredWait(attempt));
		record(delivery, attempt, WebhookAttempt.RETRYING, outcome, due);
		throw new DeliveryFailed(outcome.error(), due);
	}

	/** The last-resort handler of the retry topics' dead-letter topic: only unexpected failures get there. */
	void onDeadLetter(ConsumerRecord<String, WebhookDelivery> record) {
		logger.warn("Gave up on delivery " + ((record.value() != null) ? record.value().deliveryId() : "?")
				+ " after an unexpected failure");
	}

	private void record(WebhookDelivery delivery, int attempt, String status, WebhookSender.Outcome outcome,
			Instant next) throws Exception {
		if (delivery.isCallback()) {
			return;
		}
		// the record of an attempt is not waited for: it informs the deliveries list, it delivers nothing
		writes.send(Topics.WEBHOOK_ATTEMPTS, Webhook.key(delivery.tenant(), delivery.webhookId()),
				new WebhookAttempt(delivery, attempt, status, outcome.code(), outcome.durationMillis(),
						outcome.error(), clock.instant(), next));
	}

	private void disable(Webhook hook, Instant now) throws Exception {
		logger.info("Disabled webhook " + hook.id() + " of tenant " + LogSafe.text(hook.tenant())
				+ ": its endpoint answered 410 Gone");
		writes.write(Topics.WEBHOOKS, hook.key(),
				new Webhook(hook.tenant(), hook.id(), hook.url(), hook.events(), hook.description(), false,
						hook.secret(), hook.previousSecret(), hook.previousSecretUntil(), hook.createdAt(), now,
						"the endpoint answered 410 Gone", null, hook.earlierSecrets()));
	}

	/** 1 on the delivery topic, N+2 on retry topic N. */
	static int attemptOf(String topic) {
		Matcher retry = RETRY_TOPIC.matcher(topic);
		return retry.find() ? Integer.parseInt(retry.group(1)) + 2 : 1;
	}

}
