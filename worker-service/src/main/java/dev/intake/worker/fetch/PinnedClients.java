package dev.intake.worker.fetch;

import java.net.InetAddress;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the single-use HTTP client of one fetch hop: its only resolver is a {@link PinnedDns}
 * of the checked addresses, it has no proxy (system properties are not read), and it follows no
 * redirect, retries nothing, decompresses nothing and keeps no cookies or credentials.
 */
final class PinnedClients {

	private static final String USER_AGENT = "Intake-Worker/1";

	private PinnedClients() {
	}

	static CloseableHttpClient create(String host, InetAddress[] checked, FetchProperties props) {
		Timeout connect = Timeout.of(props.connectTimeout());
		Timeout read = Timeout.of(props.readTimeout());
		return HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(new PinnedDns(host, checked))
				.setDefaultConnectionConfig(
						ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(read).build())
				.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(read).build())
				.setMaxConnTotal(1)
				.setMaxConnPerRoute(1)
				.build())
			.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read).build())
			.setUserAgent(USER_AGENT)
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableContentCompression()
			.disableCookieManagement()
			.disableAuthCaching()
			.build();
	}

}
