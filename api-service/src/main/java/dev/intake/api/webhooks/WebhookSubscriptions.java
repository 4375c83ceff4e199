package dev.intake.api.webhooks;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.DisplayNames;
import dev.intake.contracts.EventType;
import dev.intake.contracts.Topics;
import dev.intake.contracts.Webhook;
import dev.intake.contracts.WebhookAttempt;
import dev.intake.contracts.WebhookDelivery;
import dev.intake.platform.outbound.BoundedLookup;
import dev.intake.platform.outbound.LookupException;
import dev.intake.platform.outbound.NameResolver;
import dev.intake.platform.outbound.OutboundAddresses;
import dev.intake.platform.outbound.RefusedUrlException;
import dev.intake.platform.webhooks.WebhookRegistry;
import dev.intake.platform.webhooks.WebhookWrites;
import dev.intake.platform.webhooks.WebhooksProperties;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;

/**
 * The subscriptions API's use cases, for one tenant at a time: a subscription is written to the
 * compacted {@code intake.webhooks} topic and the answer waits until this instance's
 * {@link WebhookRegistry} has it, so the next read sees it; reads first catch up with every write
 * made before them (read-your-writes across instances). Another tenant's ids answer 404 like ids
 * that do not exist. Blocking work (writes, catch-up, host name look-ups) runs off the event loop;
 * a URL's host is looked up within {@value #LOOKUP_SECONDS} s on a bounded pool of
 * {@value #MAX_LOOKUPS} threads, and a lookup that does not end in time (or finds the pool busy)
 * refuses the URL with a 400 that says so.
 */
final class WebhookSubscriptions implements AutoCloseable {

	/** The CloudEvent type of the ping {@code POST /v1/webhooks/{id}/test} sends. */
	static final String PING_TYPE = "dev.intake.webhook.ping.v1";

	private static final String PING_SOURCE = "/intake/api-service";

	private static final int LOOKUP_SECONDS = 5;

	private static final int MAX_LOOKUPS = 16;

	private static final int MAX_EVENTS = 32;

	private static final int MAX_DESCRIPTION = 500;

	private static final Set<String> TYPES = types();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final WebhookRegistry registry;

	private final AttemptLog attempts;

	private final WebhookWrites writes;

	private final WebhooksProperties props;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	/**
	 * Held while a subscription is counted and created, so a tenant's creations on this instance take
	 * turns; striped by tenant, so one tenant's creations do not wait for another's.
	 */
	private final ReentrantLock[] creations = java.util.stream.Stream.generate(ReentrantLock::new)
		.limit(32)
		.toArray(ReentrantLock[]::new);

	private final BoundedLookup lookups;

	WebhookSubscriptions(WebhookRegistry registry, AttemptLog attempts, WebhookWrites writes,
			WebhooksProperties props, Clock clock, NameResolver resolver) {
		this.lookups = new BoundedLookup("webhook-check", resolver, Duration.ofSeconds(LOOKUP_SECONDS), MAX_LOOKUPS);
		this.registry = registry;
		this.attempts = attempts;
		this.writes = writes;
		this.props = props;
		this.clock = clock;
	}

	/**
	 * Creates a subscription within the tenant's limit. A tenant's creations on this instance take
	 * turns (each waits at most the catch-up time for the one before, else 503), so requests at once
	 * cannot all pass the count; a creation that finds the tenant over its limit once its own write
	 * is read back (another instance created one meanwhile) is deleted again and refused, so the
	 * count stays within the limit (both of two such creations may be refused; a retry settles it).
	 */
	Mono<Webhook> create(String tenant, WebhookRequest request) {
		return blocking(() -> {
			if (request == null || request.url() == null) {
				throw ApiProblem.badRequest("url is required.");
			}
			String url = checkUrl("url", request.url());
			List<String> events = checkEvents(request.events() == null ? List.of(Webhook.EVERY_TYPE) : request.events());
			String description = checkDescription(request.description());
			ReentrantLock turn = this.creations[Math.floorMod(tenant.hashCode(), this.creations.length)];
			if (!turn.tryLock(props.catchUp().toMillis(), TimeUnit.MILLISECONDS)) {
				throw unavailable();
			}
			try {
				catchUp();
				if (managed(tenant).size() >= props.maxPerTenant()) {
					throw overLimit();
				}
				Instant now = clock.instant();
				Webhook hook = new Webhook(tenant, "wh_" + HexFormat.of().formatHex(bytes(12)), url, events,
						description, request.enabled() == null || request.enabled(), newSecret(), null, null, now, now,
						null, null);
				save(hook);
				if (managed(tenant).size() > props.maxPerTenant()) {
					writes.write(Topics.WEBHOOKS, hook.key(), null);
					attempts.forget(hook.key());
					catchUp();
					throw overLimit();
				}
				return hook;
			}
			finally {
				turn.unlock();
			}
		});
	}

	private ApiProblem overLimit() {
		return ApiProblem.badRequest("A tenant may have at most " + props.maxPerTenant() + " webhooks.");
	}

	Mono<List<Webhook>> list(String tenant) {
		return blocking(() -> {
			catchUp();
			return managed(tenant);
		});
	}

	Mono<Webhook> get(String tenant, String id) {
		return blocking(() -> existing(tenant, id));
	}

	Mono<Webhook> update(String tenant, String id, WebhookRequest request) {
		return blocking(() -> {
			if (request == null) {
				throw ApiProblem.badRequest("The body must be a JSON object.");
			}
			Webhook hook = existing(tenant, id);
			String url = (request.url() != null) ? checkUrl("url", request.url()) : hook.url();
			List<String> events = (request.events() != null) ? checkEvents(request.events()) : hook.events();
			String description = (request.description() != null) ? checkDescription(request.description())
					: hook.description();
			boolean enabled = (request.enabled() != null) ? request.enabled() : hook.enabled();
			String disabledReason = enabled ? null : hook.disabledReason();
			return save(new Webhook(tenant, id, url, events, description, enabled, hook.secret(), hook.previousSecret(),
					hook.previousSecretUntil(), hook.createdAt(), clock.instant(), disabledReason, null,
					hook.earlierSecrets()));
		});
	}

	Mono<Void> delete(String tenant, String id) {
		return blocking(() -> {
			Webhook hook = existing(tenant, id);
			writes.write(Topics.WEBHOOKS, hook.key(), null);
			attempts.forget(hook.key());
			catchUp();
			return null;
		});
	}

	/** A new secret; the one before keeps signing for the grace period, and earlier ones to the end of theirs. */
	Mono<Webhook> rotateSecret(String tenant, String id) {
		return blocking(() -> {
			Webhook hook = existing(tenant, id);
			Instant now = clock.instant();
			return save(hook.rotated(newSecret(), now, now.plus(props.secretGrace())));
		});
	}

	/** Queues a ping to the subscription's endpoint; the id of its delivery. */
	Mono<String> test(String tenant, String id) {
		return blocking(() -> {
			Webhook hook = enabled(existing(tenant, id));
			Instant now = clock.instant();
			String deliveryId = "msg_" + HexFormat.of().formatHex(bytes(12));
			ObjectNode event = JSON.createObjectNode()
				.put("specversion", "1.0")
				.put("id", deliveryId)
				.put("source", PING_SOURCE)
				.put("type", PING_TYPE)
				.put("time", now.toString())
				.put("tenant", tenant)
				.put("datacontenttype", "application/json");
			event.putObject("data").put("webhook_id", id);
			writes.write(Topics.WEBHOOK_DELIVERIES, hook.key(), new WebhookDelivery(tenant, deliveryId, id, hook.url(),
					PING_TYPE, JSON.writeValueAsString(event), null, now));
			return deliveryId;
		});
	}

	Mono<List<WebhookAttempt>> deliveries(String tenant, String id) {
		return blocking(() -> {
			Webhook hook = existing(tenant, id);
			if (!attempts.sync(props.catchUp())) {
				throw unavailable();
			}
			return attempts.recent(hook.key());
		});
	}

	/** Sends a recorded delivery again, with the same {@code webhook-id}, to the subscription's current URL. */
	Mono<String> redeliver(String tenant, String id, String deliveryId) {
		return blocking(() -> {
			Webhook hook = enabled(existing(tenant, id));
			if (!attempts.sync(props.catchUp())) {
				throw unavailable();
			}
			WebhookDelivery delivery = attempts.latest(hook.key(), deliveryId)
				.orElseThrow(ApiProblem::notFound)
				.delivery();
			writes.write(Topics.WEBHOOK_DELIVERIES, hook.key(), new WebhookDelivery(tenant, delivery.deliveryId(), id,
					hook.url(), delivery.eventType(), delivery.body(), null, clock.instant()));
			return delivery.deliveryId();
		});
	}

	private Webhook save(Webhook hook) throws Exception {
		writes.write(Topics.WEBHOOKS, hook.key(), hook);
		catchUp();
		return hook;
	}

	private Webhook existing(String tenant, String id) {
		catchUp();
		return registry.find(tenant, id).filter(hook -> !hook.isCallback()).orElseThrow(ApiProblem::notFound);
	}

	/**
	 * The subscription, when it is enabled; else a 409: the dispatcher sends nothing to a disabled
	 * subscription, so queueing a delivery for it would answer 202 for nothing.
	 */
	private static Webhook enabled(Webhook hook) {
		if (!hook.enabled()) {
			throw new ApiProblem(HttpStatus.CONFLICT, HttpStatus.CONFLICT.value(), "The webhook is disabled"
					+ ((hook.disabledReason() != null) ? " (" + hook.disabledReason() + ")" : "")
					+ ": enable it first (PATCH with \"enabled\": true).");
		}
		return hook;
	}

	/** The subscriptions the tenant manages: not its batches' callbacks. */
	private List<Webhook> managed(String tenant) {
		return registry.list(tenant).stream().filter(hook -> !hook.isCallback()).toList();
	}

	private void catchUp() {
		if (!registry.sync(props.catchUp())) {
			throw unavailable();
		}
	}

	/**
	 * The URL, when the address policy allows it (which refuses surrounding spaces, so it is kept as
	 * sent); else a 400 that names {@code field} and says why.
	 */
	String checkUrl(String field, String url) {
		try {
			OutboundAddresses.check(url, props.allowedPorts(), props.maxUrlLength(), props.allowLoopback(), lookups,
					System.nanoTime() + Duration.ofSeconds(LOOKUP_SECONDS).toNanos());
			return url;
		}
		catch (RefusedUrlException ex) {
			throw ApiProblem.badRequest(field + " is not allowed: " + ex.getMessage() + ".");
		}
		catch (LookupException ex) {
			throw ApiProblem.badRequest(field + " could not be checked: " + ex.getMessage() + ".");
		}
	}

	@Override
	public void close() {
		lookups.close();
	}

	private static List<String> checkEvents(List<String> events) {
		if (events.isEmpty() || events.size() > MAX_EVENTS) {
			throw ApiProblem.badRequest("events must list 1 to " + MAX_EVENTS + " event types, or \"*\".");
		}
		Set<String> unique = new LinkedHashSet<>();
		for (String type : events) {
			if (type == null || !(Webhook.EVERY_TYPE.equals(type) || TYPES.contains(type))) {
				throw ApiProblem.badRequest("events: unknown event type '" + WebhookRequest.shown(type) + "'; known types: "
						+ String.join(", ", TYPES) + ", or \"*\".");
			}
			unique.add(type);
		}
		return new ArrayList<>(unique);
	}

	private static String checkDescription(String description) {
		if (description != null && description.length() > MAX_DESCRIPTION) {
			throw ApiProblem.badRequest("description must be at most " + MAX_DESCRIPTION + " characters.");
		}
		if (description != null && !DisplayNames.isClean(description)) {
			throw ApiProblem.badRequest(
					"description must not hold control characters, direction overrides or unpaired surrogates.");
		}
		return description;
	}

	String newSecret() {
		return "whsec_" + Base64.getEncoder().encodeToString(bytes(32));
	}

	private byte[] bytes(int count) {
		byte[] bytes = new byte[count];
		random.nextBytes(bytes);
		return bytes;
	}

	private static ApiProblem unavailable() {
		return ApiProblem.unavailable("Webhook subscriptions are not available right now; try again.",
				Duration.ofSeconds(5));
	}

	private static <T> Mono<T> blocking(Callable<T> work) {
		return Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic()).onErrorMap(
				ex -> !(ex instanceof ApiProblem),
				ex -> ApiProblem.unavailable("Webhook subscriptions are not available right now; try again.",
						Duration.ofSeconds(5)));
	}

	private static Set<String> types() {
		Set<String> types = new LinkedHashSet<>();
		for (EventType type : EventType.values()) {
			types.add(type.type());
		}
		types.add(PING_TYPE);
		return java.util.Collections.unmodifiableSet(types);
	}

}
