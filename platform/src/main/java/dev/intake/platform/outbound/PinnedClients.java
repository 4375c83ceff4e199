package dev.intake.platform.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP clients of outbound requests, one per pinned host: a host name together with the exact
 * set of addresses the address policy checked for it. Requests to the same host and addresses
 * share one client and its connection pool (at most {@code maxPerHost} connections), so a
 * redirect on the same host, the next URL of a batch or the next delivery to a webhook endpoint
 * reuses an open connection instead of a new TCP and TLS handshake. A client's only resolver is a {@link PinnedDns} of its checked addresses, so a
 * pooled connection can only ever lead to those; a new answer from DNS is a new client. Each
 * client has no proxy (system properties are not read), follows no redirect, retries nothing,
 * decompresses nothing and keeps no cookies or credentials.
 *
 * <p>At most {@code maxClients} clients are kept (least recently used first out); one that is
 * pushed out, or idle for longer than {@code idleTime}, is closed as soon as no fetch uses it.
 * Connections idle for longer than {@code idleTime} are closed. Thread-safe.
 */
public final class PinnedClients implements AutoCloseable {

	/**
	 * How each client connects: {@code connectTimeout} also bounds the wait for a pooled
	 * connection, {@code readTimeout} each read and the wait for the answer's head.
	 */
	public record Settings(Duration connectTimeout, Duration readTimeout, int maxPerHost, String userAgent) {
	}

	private final Settings settings;

	private final int maxClients;

	private final TimeValue idleTime;

	private final LinkedHashMap<String, Entry> clients = new LinkedHashMap<>(16, 0.75f, true);

	private boolean closed;

	private int created;

	public PinnedClients(Settings settings, int maxClients, TimeValue idleTime) {
		this.settings = settings;
		this.maxClients = maxClients;
		this.idleTime = idleTime;
	}

	/**
	 * A client for one request (or hop) to {@code host} at {@code checked}; give it back with
	 * {@link Lease#close()}.
	 */
	public synchronized Lease lease(String host, InetAddress[] checked) {
		if (closed) {
			throw new IllegalStateException("the clients are closed");
		}
		String key = key(host, checked);
		Entry entry = clients.get(key);
		if (entry == null) {
			entry = new Entry(host, checked);
			clients.put(key, entry);
			created++;
			evictOverflow();
		}
		entry.users++;
		entry.lastUsed = System.nanoTime();
		return new Lease(entry);
	}

	/** Closes idle connections, and clients nobody used for longer than the idle time. */
	public synchronized void closeIdle() {
		long now = System.nanoTime();
		for (Iterator<Entry> it = clients.values().iterator(); it.hasNext();) {
			Entry entry = it.next();
			if (entry.users == 0 && now - entry.lastUsed > idleTime.toNanoseconds()) {
				it.remove();
				entry.closeQuietly();
			}
			else {
				entry.manager.closeExpired();
				entry.manager.closeIdle(idleTime);
			}
		}
	}

	/** Clients created so far (a new pinned host or a new set of addresses each). */
	public synchronized int created() {
		return created;
	}

	/** Clients kept now. */
	public synchronized int size() {
		return clients.size();
	}

	private void evictOverflow() {
		for (Iterator<Entry> it = clients.values().iterator(); it.hasNext() && clients.size() > maxClients;) {
			Entry eldest = it.next();
			it.remove();
			eldest.evicted = true;
			if (eldest.users == 0) {
				eldest.closeQuietly();
			}
		}
	}

	private synchronized void giveBack(Entry entry) {
		entry.users--;
		entry.lastUsed = System.nanoTime();
		if ((entry.evicted || closed) && entry.users == 0) {
			entry.closeQuietly();
		}
	}

	@Override
	public synchronized void close() {
		closed = true;
		for (Entry entry : clients.values()) {
			entry.evicted = true;
			if (entry.users == 0) {
				entry.closeQuietly();
			}
		}
		clients.clear();
	}

	/** Host name (lower case, brackets dropped) and addresses in a fixed order. */
	private static String key(String host, InetAddress[] checked) {
		List<String> addresses = Arrays.stream(checked).map(InetAddress::getHostAddress)
			.sorted(Comparator.naturalOrder()).toList();
		return PinnedDns.normalize(host) + "|" + String.join(",", addresses);
	}

	/** One request's use of a pooled client. */
	public final class Lease implements AutoCloseable {

		private final Entry entry;

		private boolean returned;

		private Lease(Entry entry) {
			this.entry = entry;
		}

		public CloseableHttpClient client() {
			return entry.client;
		}

		@Override
		public void close() {
			if (!returned) {
				returned = true;
				giveBack(entry);
			}
		}

	}

	private final class Entry {

		private final PoolingHttpClientConnectionManager manager;

		private final CloseableHttpClient client;

		private int users;

		private long lastUsed;

		private boolean evicted;

		private boolean shut;

		Entry(String host, InetAddress[] checked) {
			Timeout connect = Timeout.of(settings.connectTimeout());
			Timeout read = Timeout.of(settings.readTimeout());
			this.manager = PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(new PinnedDns(host, checked))
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(connect)
					.setSocketTimeout(read)
					.setValidateAfterInactivity(TimeValue.ofSeconds(1))
					.setTimeToLive(TimeValue.ofMinutes(5))
					.build())
				.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(read).build())
				.setMaxConnTotal(settings.maxPerHost())
				.setMaxConnPerRoute(settings.maxPerHost())
				.build();
			this.client = HttpClients.custom()
				.setConnectionManager(manager)
				.setDefaultRequestConfig(RequestConfig.custom()
					.setResponseTimeout(read)
					.setConnectionRequestTimeout(connect)
					.build())
				.setUserAgent(settings.userAgent())
				.disableRedirectHandling()
				.disableAutomaticRetries()
				.disableContentCompression()
				.disableCookieManagement()
				.disableAuthCaching()
				.build();
		}

		void closeQuietly() {
			if (!shut) {
				shut = true;
				try {
					client.close();
				}
				catch (IOException | RuntimeException ex) {
					// its connections are being thrown away anyway
				}
			}
		}

	}

}
