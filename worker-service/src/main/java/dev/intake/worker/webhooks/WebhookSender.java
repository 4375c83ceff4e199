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
import dev.intake.platform.outbound.OutboundAddresses;
import dev.intake.platform.outbound.PinnedDns;
import dev.intake.platform.outbound.RefusedUrlException;
import dev.intake.platform.webhooks.WebhooksProperties;
import dev.intake.worker.metrics.WorkerMetrics;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Makes one delivery attempt as the Standard Webhooks specification has it: a POST of the
 * CloudEvent in structured JSON mode with {@code webhook-id}, {@code webhook-timestamp} (now) and
 * {@code webhook-signature} (one {@code v1,} signature per secret, made with the
 * {@code standardwebhooks} library). The endpoint URL is checked by the outbound address policy
 * at every attempt and the connection pinned to the checked addresses; no redirect is followed,
 * no proxy used, and the whole attempt is cut off at the timeout. Only the status code of the
 * answer is read. {@link EndpointGuards} decide first whether the attempt is made at all; each
 * attempt made is timed ({@link WorkerMetrics#WEBHOOK_DELIVERY_DURATION}).
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

	private static final ContentType CLOUDEVENTS_JSON = ContentType.create("application/cloudevents+json",
			StandardCharsets.UTF_8);

	private final WebhooksProperties props;

	private final EndpointGuards guards;

	private final Clock clock;

	private final ScheduledExecutorService deadlines;

	private final WorkerMetrics metrics;

	WebhookSender(WebhooksProperties props, EndpointGuards guards, Clock clock, WorkerMetrics metrics) {
		this.props = props;
		this.guards = guards;
		this.clock = clock;
		this.metrics = metrics;
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
			Thread t = new Thread(r, "intake-webhook-deadlines");
			t.setDaemon(true);
			return t;
		});
		timer.setRemoveOnCancelPolicy(true);
		this.deadlines = timer;
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
		OutboundAddresses.Checked checked;
		try {
			checked = OutboundAddresses.check(url, props.allowedPorts(), props.maxUrlLength(), props.allowLoopback());
		}
		catch (RefusedUrlException ex) {
			return new Outcome(0, millisSince(start), "the URL is not allowed: " + ex.getMessage());
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
		post.setHeader("User-Agent", "Intake-Webhooks/1");
		post.setEntity(new StringEntity(body, CLOUDEVENTS_JSON));
		ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, props.timeout().toMillis(),
				TimeUnit.MILLISECONDS);
		try (CloseableHttpClient client = client(checked)) {
			int code = client.execute(post, WebhookSender::statusOf);
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
			deadline.cancel(false);
		}
	}

	private static Integer statusOf(ClassicHttpResponse response) throws IOException {
		if (response.getEntity() != null) {
			// the answer's body is not used: read a little so the connection closes cleanly, no more
			try (InputStream in = response.getEntity().getContent()) {
				in.readNBytes(4096);
			}
		}
		return response.getCode();
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

	private CloseableHttpClient client(OutboundAddresses.Checked checked) {
		Timeout timeout = Timeout.of(props.timeout());
		return HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(new PinnedDns(checked.target().host(), checked.addresses()))
				.setDefaultConnectionConfig(
						ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
				.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(timeout).build())
				.build())
			.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableContentCompression()
			.disableCookieManagement()
			.disableAuthCaching()
			.build();
	}

	private static long millisSince(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

	@Override
	public void close() {
		deadlines.shutdownNow();
	}

}
