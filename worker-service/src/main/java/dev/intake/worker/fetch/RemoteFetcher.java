package dev.intake.worker.fetch;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.intake.platform.outbound.AddressRules;
import dev.intake.platform.outbound.BoundedLookup;
import dev.intake.platform.outbound.LookupException;
import dev.intake.platform.outbound.NameResolver;
import dev.intake.platform.outbound.PinnedClients;
import dev.intake.platform.outbound.PinnedDns;
import dev.intake.platform.outbound.RefusedUrlException;
import dev.intake.platform.outbound.UrlRules;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.util.TimeValue;

/**
 * Fetches URL items without letting a URL reach anything but public addresses. Per hop: the URL
 * is checked as text ({@link UrlRules}), the host resolved once, every address checked
 * ({@link AddressRules}), and the connection made only to those addresses ({@link PinnedDns}), on
 * a client shared by the hops to that host and those addresses ({@link PinnedClients}).
 * Redirects are followed here, each one checked the same way. No compression is requested or
 * accepted; connect, read and total deadlines apply; concurrency is bounded per worker and per
 * host. Thread-safe.
 */
public class RemoteFetcher implements AutoCloseable {

	/** Pooled connections and clients unused for this long are closed. */
	private static final TimeValue IDLE_TIME = TimeValue.ofSeconds(30);

	private static final String USER_AGENT = "Intake-Worker/1";

	/** A redirect body up to this size is read so that its connection can be used again. */
	private static final int MAX_DRAINED_REDIRECT_BODY = 8192;

	private final FetchProperties props;

	private final List<AddressRules.Range> allowedNetworks;

	private final BoundedLookup lookups;

	private final FetchLimiter limiter;

	private final ScheduledExecutorService deadlines;

	private final PinnedClients clients;

	private final Consumer<String> outcomes;

	public RemoteFetcher(FetchProperties props, NameResolver resolver) {
		this(props, resolver, outcome -> {
		});
	}

	/**
	 * @param outcomes told the outcome of every {@link #open}: {@code ok}, or the
	 * {@link FetchException.Kind} in lower case
	 */
	public RemoteFetcher(FetchProperties props, NameResolver resolver, Consumer<String> outcomes) {
		this.props = props;
		this.outcomes = outcomes;
		this.allowedNetworks = props.allowedNetworks().stream().map(AddressRules::network).toList();
		// a lookup per fetch in progress, and as many again stuck in a resolver that timed out
		this.lookups = new BoundedLookup("fetch", resolver, props.dnsTimeout(), 2 * props.maxConcurrent());
		this.limiter = new FetchLimiter(props.maxConcurrent(), props.maxPerHost());
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
			Thread t = new Thread(r, "intake-fetch-deadlines");
			t.setDaemon(true);
			return t;
		});
		timer.setRemoveOnCancelPolicy(true);
		this.deadlines = timer;
		this.clients = new PinnedClients(new PinnedClients.Settings(props.connectTimeout(), props.readTimeout(),
				props.maxPerHost(), USER_AGENT), props.pooledHosts(), IDLE_TIME);
		timer.scheduleWithFixedDelay(clients::closeIdle, IDLE_TIME.toSeconds(), IDLE_TIME.toSeconds(),
				TimeUnit.SECONDS);
	}

	/**
	 * Opens the body of {@code url}, following redirects; the caller reads it and closes it.
	 * @throws FetchException when the URL is refused, failed for good, or failed transiently
	 */
	public RemoteBody open(String url) throws FetchException {
		try {
			RemoteBody body = openUncounted(url);
			outcomes.accept("ok");
			return body;
		}
		catch (FetchException ex) {
			outcomes.accept(ex.kind().name().toLowerCase(Locale.ROOT));
			throw ex;
		}
	}

	private RemoteBody openUncounted(String url) throws FetchException {
		long deadline = System.nanoTime() + props.totalTimeout().toNanos();
		UrlRules.Target target = checkText(url);
		for (int hop = 0;; hop++) {
			InetAddress[] addresses;
			try {
				addresses = resolveAndCheck(target, deadline);
			}
			catch (FetchException ex) {
				if (hop == 0) {
					throw ex;
				}
				String prefix = (ex.kind() == FetchException.Kind.REFUSED)
						? "it redirected to a URL that is not allowed: " : "after a redirect, ";
				throw new FetchException(ex.kind(), prefix + ex.getMessage());
			}
			Hop result = request(target, addresses, deadline);
			if (result.body() != null) {
				return result.body();
			}
			if (hop >= props.maxRedirects()) {
				throw new FetchException(FetchException.Kind.FAILED,
						"it redirected more than " + props.maxRedirects() + " times");
			}
			try {
				target = checkText(result.redirect().toString());
			}
			catch (FetchException ex) {
				throw new FetchException(FetchException.Kind.REFUSED,
						"it redirected to a URL that is not allowed: " + ex.getMessage());
			}
		}
	}

	private UrlRules.Target checkText(String url) throws FetchException {
		try {
			return UrlRules.check(url, props.allowedPorts(), props.maxUrlLength());
		}
		catch (RefusedUrlException ex) {
			throw new FetchException(FetchException.Kind.REFUSED, ex.getMessage());
		}
	}

	private InetAddress[] resolveAndCheck(UrlRules.Target target, long deadline) throws FetchException {
		InetAddress[] addresses = target.isLiteral() ? new InetAddress[] { literal(target) } : lookup(target, deadline);
		for (InetAddress address : addresses) {
			Optional<String> refusal = AddressRules.refusal(address, props.allowLoopback(), allowedNetworks);
			if (refusal.isPresent()) {
				// one bad answer refuses the host: it may be the one a retry or a rebinding uses
				throw new FetchException(FetchException.Kind.REFUSED,
						"its host points to a non-public address (" + refusal.get() + ")");
			}
		}
		return addresses;
	}

	private InetAddress[] lookup(UrlRules.Target target, long deadline) throws FetchException {
		try {
			return lookups.resolve(target.host(), deadline);
		}
		catch (LookupException ex) {
			if (Thread.currentThread().isInterrupted()) {
				throw new FetchException(FetchException.Kind.TRANSIENT, "the fetch was interrupted");
			}
			throw new FetchException(ex.unresolvable() ? FetchException.Kind.FAILED : FetchException.Kind.TRANSIENT,
					ex.getMessage(), ex.getCause());
		}
	}

	private InetAddress literal(UrlRules.Target target) throws FetchException {
		// judged as written: Java would fold ::ffff:a.b.c.d into a plain IPv4 address
		Optional<String> refusal = AddressRules.refusal(target.literal(), props.allowLoopback(), allowedNetworks);
		if (refusal.isPresent()) {
			throw new FetchException(FetchException.Kind.REFUSED,
					"its host points to a non-public address (" + refusal.get() + ")");
		}
		try {
			return InetAddress.getByAddress(target.host(), target.literal());
		}
		catch (UnknownHostException ex) {
			throw new FetchException(FetchException.Kind.REFUSED, "its address is not valid");
		}
	}

	private record Hop(RemoteBody body, URI redirect) {
	}

	private Hop request(UrlRules.Target target, InetAddress[] addresses, long deadline) throws FetchException {
		acquire(target.host(), deadline);
		PinnedClients.Lease lease = clients.lease(target.host(), addresses);
		CloseableHttpClient client = lease.client();
		HttpGet get = new HttpGet(target.uri());
		get.setHeader("Accept-Encoding", "identity");
		get.setHeader("Accept", "image/*");
		ScheduledFuture<?> abort = deadlines.schedule(() -> {
			get.cancel();
		}, Math.max(0, deadline - System.nanoTime()),
				TimeUnit.NANOSECONDS);
		ClassicHttpResponse response = null;
		boolean open = false;
		try {
			response = client.executeOpen(null, get, null);
			int status = response.getCode();
			if (status == 200) {
				requireIdentityEncoding(response);
				if (response.getEntity() == null) {
					throw new FetchException(FetchException.Kind.FAILED, "the server sent no content");
				}
				RemoteBody body = new RemoteBody(lease, get, response, abort, () -> limiter.release(target.host()),
						deadline);
				open = true;
				return new Hop(body, null);
			}
			if (isRedirect(status)) {
				Header location = response.getFirstHeader("Location");
				if (location == null || location.getValue().isBlank()) {
					throw new FetchException(FetchException.Kind.FAILED, "it redirected without a location");
				}
				URI next = redirectTarget(target.uri(), location.getValue());
				drainSmall(response);
				return new Hop(null, next);
			}
			if (status == 408 || status == 429 || status >= 500) {
				throw new FetchException(FetchException.Kind.TRANSIENT, "the server answered HTTP " + status);
			}
			throw new FetchException(FetchException.Kind.FAILED, "the server answered HTTP " + status);
		}
		catch (IOException ex) {
			Optional<String> tls = TlsFailures.rejection(ex);
			if (tls.isPresent()) {
				throw new FetchException(FetchException.Kind.FAILED, tls.get(), ex);
			}
			String reason = (System.nanoTime() - deadline >= 0)
					? "it took longer than " + props.totalTimeout().toSeconds() + "s"
					: (ex instanceof InterruptedIOException) ? "the server did not answer in time" : connectionFailure(ex);
			throw new FetchException(FetchException.Kind.TRANSIENT, reason, ex);
		}
		finally {
			if (!open) {
				abort.cancel(false);
				get.cancel();
				closeQuietly(response);
				lease.close();
				limiter.release(target.host());
			}
		}
	}

	/** Why a connection failed, in words a client reads (no class names). */
	static String connectionFailure(IOException ex) {
		if (ex instanceof ConnectException) {
			String message = String.valueOf(ex.getMessage());
			return message.contains("refused") ? "the server refused the connection" : "the server could not be reached";
		}
		if (ex instanceof NoRouteToHostException) {
			return "the server could not be reached";
		}
		if (ex instanceof NoHttpResponseException
				|| ex instanceof ConnectionClosedException) {
			return "the server closed the connection without an answer";
		}
		if (ex instanceof SocketException) {
			return "the connection was broken";
		}
		return "the connection failed";
	}

	/** Reads a short body to its end, which hands its connection back to the pool. */
	private static void drainSmall(ClassicHttpResponse response) throws IOException {
		HttpEntity entity = response.getEntity();
		if (entity == null || entity.getContentLength() > MAX_DRAINED_REDIRECT_BODY) {
			return;
		}
		try (InputStream in = entity.getContent()) {
			byte[] buffer = new byte[1024];
			int total = 0;
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				total += n;
				if (total > MAX_DRAINED_REDIRECT_BODY) {
					// not worth it: closing the response throws the connection away
					return;
				}
			}
		}
	}

	private void acquire(String host, long deadline) throws FetchException {
		try {
			if (!limiter.acquire(host, deadline)) {
				throw new FetchException(FetchException.Kind.TRANSIENT, "too many fetches were in progress");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new FetchException(FetchException.Kind.TRANSIENT, "the fetch was interrupted");
		}
	}

	private static void requireIdentityEncoding(ClassicHttpResponse response) throws FetchException {
		Header encoding = response.getFirstHeader("Content-Encoding");
		if (encoding != null && !encoding.getValue().isBlank()
				&& !encoding.getValue().trim().equalsIgnoreCase("identity")) {
			throw new FetchException(FetchException.Kind.FAILED, "the server sent a compressed body");
		}
	}

	private static boolean isRedirect(int status) {
		return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
	}

	private static URI redirectTarget(URI base, String location) throws FetchException {
		try {
			return base.resolve(new URI(location.trim()));
		}
		catch (Exception ex) {
			throw new FetchException(FetchException.Kind.FAILED, "it redirected to an invalid location");
		}
	}

	static void closeQuietly(Closeable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (IOException | RuntimeException ex) {
			// the connection is being thrown away anyway
		}
	}

	@Override
	public void close() {
		deadlines.shutdownNow();
		lookups.close();
		clients.close();
	}

}
