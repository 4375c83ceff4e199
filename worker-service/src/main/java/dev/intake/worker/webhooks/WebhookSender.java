package dev.intake.worker.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import dev.intake.contracts.LogSafe;
import dev.intake.platform.outbound.BoundedLookup;
import dev.intake.platform.outbound.LookupException;
import dev.intake.platform.outbound.NameResolver;
import dev.intake.platform.outbound.OutboundAddresses;
import dev.intake.platform.outbound.PinnedClients;
import dev.intake.platform.outbound.RefusedUrlException;
import dev.intake.platform.webhooks.WebhooksProperties;
import dev.intake.worker.metrics.WorkerMetrics;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;

/**
 * Makes one delivery attempt as the Standard Webhooks specification has it: a POST of the
 * CloudEvent in structured JSON mode with {@code webhook-id}, {@code webhook-timestamp} (now) and
 * {@code webhook-signature} (one {@code v1,} signature per secret, made with the
 * {@code standardwebhooks} library). The endpoint URL is checked by the outbound address policy
 * at every attempt, its host looked up on a bounded pool ({@link BoundedLookup}) and the
 * connection pinned to the checked addresses, on a client pooled per host and addresses
 * ({@link PinnedClients}, at most {@code max-per-endpoint} connections), so consecutive deliveries
 * to one endpoint reuse a connection. No redirect is followed, no proxy used, and the whole
 * attempt, lookup included, is cut off at the timeout. Only the status code of the answer is
 * used; an answer body longer than {@value #MAX_DRAINED_BODY} bytes costs its connection.
 * {@link EndpointGuards} decide first whether the attempt is made at all; each attempt made is
 * timed ({@link WorkerMetrics#WEBHOOK_DELIVERY_DURATION}).
 */
final class WebhookSender implements AutoCloseable {

	/** How an attempt ended: {@code code} 0 when no answer came, {@code error} null when delivered. */
	record Outcome(int code, long durationMillis, String error) {

		boolean delivered() {
			return error == null;
		}

		boolean gone() {
			return code == 410;
		}

	}

	/** Endpoints whose pooled client is kept. */
	private static final int POOLED_ENDPOINTS = 256;

	/** Pooled connections and clients unused for this long are closed. */
	private static final TimeValue IDLE_TIME = TimeValue.ofSeconds(30);

	/** An answer body up to this size is read to its end so its connection can be used again. */
	static final int MAX_DRAINED_BODY = 4096;

	private static final ContentType CLOUDEVENTS_JSON = ContentType.create("application/cloudevents+json",
			StandardCharsets.UTF_8);

	private final WebhooksProperties props;

	private final EndpointGuards guards;

	private final Clock clock;

	private final ScheduledExecutorService deadlines;

	private final WorkerMetrics metrics;

	private final BoundedLookup lookups;

	private final PinnedClients clients;

	WebhookSender(WebhooksProperties props, EndpointGuards guards, Clock clock, NameResolver resolver,
			WorkerMetrics metrics) {
		this.props = props;
		this.guards = guards;
		this.clock = clock;
		this.metrics = metrics;
		int threads = props.concurrency() + props.retryConcurrency() * props.retrySchedule().size();
		// a lookup per attempt in progress, and as many again stuck in a resolver that timed out
		this.lookups = new BoundedLookup("webhook", resolver, props.timeout(), 2 * threads);
		this.clients = new PinnedClients(new PinnedClients.Settings(props.timeout(), props.timeout(),
				props.maxPerEndpoint(), "Intake-Webhooks/1"), POOLED_ENDPOINTS, IDLE_TIME);
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
			Thread t = new Thread(r, "intake-webhook-deadlines");
			t.setDaemon(true);
			return t;
		});
		timer.setRemoveOnCancelPolicy(true);
		this.deadlines = timer;
		timer.scheduleWithFixedDelay(clients::closeIdle, IDLE_TIME.toSeconds(), IDLE_TIME.toSeconds(),
				TimeUnit.SECONDS);
	}

	Outcome send(String url, String deliveryId, String body, List<String> secrets) {
		Optional<String> refusal = guards.acquire(url);
		if (refusal.isPresent()) {
			return new Outcome(0, 0, refusal.get());
		}
		long start = System.nanoTime();
		Outcome outcome = attempt(url, deliveryId, body, secrets, start);
		metrics.webhookDeliveryTook(System.nanoTime() - start);
		guards.release(url, outcome.delivered() || outcome.gone());
		return outcome;
	}

	private Outcome attempt(String url, String deliveryId, String body, List<String> secrets, long start) {
		long deadline = start + props.timeout().toNanos();
		OutboundAddresses.Checked checked;
		try {
			checked = OutboundAddresses.check(url, props.allowedPorts(), props.maxUrlLength(), props.allowLoopback(),
					lookups, deadline);
		}
		catch (RefusedUrlException ex) {
			return new Outcome(0, millisSince(start), "the URL is not allowed: " + ex.getMessage());
		}
		catch (LookupException ex) {
			return new Outcome(0, millisSince(start), "the lookup failed: " + ex.getMessage());
		}
		long timestamp = clock.instant().getEpochSecond();
		HttpPost post = new HttpPost(checked.target().uri());
		post.setHeader("webhook-id", deliveryId);
		post.setHeader("webhook-timestamp", Long.toString(timestamp));
		try {
			post.setHeader("webhook-signature", signature(deliveryId, timestamp, body, secrets));
		}
		catch (WebhookSigningException | EmptyWebhookSecretException ex) {
			return new Outcome(0, millisSince(start), "the delivery could not be signed");
		}
		post.setEntity(new StringEntity(body, CLOUDEVENTS_JSON));
		ScheduledFuture<?> cutOff = deadlines.schedule(post::cancel, Math.max(0, deadline - System.nanoTime()),
				TimeUnit.NANOSECONDS);
		PinnedClients.Lease lease = clients.lease(checked.target().host(), checked.addresses());
		ClassicHttpResponse response = null;
		try {
			response = lease.client().executeOpen(null, post, null);
			int code = response.getCode();
			drainSmall(post, response);
			long took = millisSince(start);
			if (code >= 200 && code < 300) {
				return new Outcome(code, took, null);
			}
			return new Outcome(code, took, "the endpoint answered " + code);
		}
		catch (IOException | RuntimeException ex) {
			String why = post.isCancelled() ? "no answer within " + props.timeout().toSeconds() + " s"
					: "the request failed: " + LogSafe.text(String.valueOf(ex.getMessage()));
			return new Outcome(0, millisSince(start), why);
		}
		finally {
			cutOff.cancel(false);
			closeQuietly(response);
			lease.close();
		}
	}

	private static void closeQuietly(ClassicHttpResponse response) {
		if (response != null) {
			try {
				response.close();
			}
			catch (IOException | RuntimeException ex) {
				// the answer is already judged; its connection is dropped
			}
		}
	}

	/**
	 * Reads a short answer body to its end, which keeps its connection for the next delivery; a
	 * longer one is not worth reading, and its connection is dropped.
	 */
	private static void drainSmall(HttpPost post, ClassicHttpResponse response) throws IOException {
		HttpEntity entity = response.getEntity();
		if (entity == null) {
			return;
		}
		if (entity.getContentLength() > MAX_DRAINED_BODY) {
			post.cancel();
			return;
		}
		InputStream in = entity.getContent();
		if (in.readNBytes(MAX_DRAINED_BODY).length == MAX_DRAINED_BODY && in.read() >= 0) {
			post.cancel();
			return;
		}
		in.close();
	}

	private static String signature(String deliveryId, long timestamp, String body, List<String> secrets)
			throws WebhookSigningException, EmptyWebhookSecretException {
		StringBuilder signatures = new StringBuilder();
		for (String secret : secrets) {
			if (!signatures.isEmpty()) {
				signatures.append(' ');
			}
			signatures.append(new Webhook(secret).sign(deliveryId, timestamp, body));
		}
		return signatures.toString();
	}

	private static long millisSince(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	@Override
	public void close() {
		deadlines.shutdownNow();
		lookups.close();
		clients.close();
	}

}
