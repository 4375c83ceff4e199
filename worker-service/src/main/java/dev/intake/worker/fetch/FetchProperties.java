package dev.intake.worker.fetch;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.intake.platform.outbound.AddressRules;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a worker fetches URL items ({@code intake.worker.fetch.*}). The size limit is the
 * worker's {@code intake.worker.max-image-size}.
 *
 * @param allowLoopback allow 127.0.0.0/8 and ::1 (tests and single-machine runs only; every other
 * non-public address stays refused)
 * @param allowedPorts ports a URL may name
 * @param connectTimeout longest wait for a connection to be established
 * @param readTimeout longest wait for the next bytes of an answer
 * @param totalTimeout longest a fetch may take, redirects and body included
 * @param maxRedirects redirects followed (each target checked like the first URL)
 * @param maxConcurrent fetches in progress at once on this worker
 * @param maxPerHost fetches in progress at once to any one host
 * @param maxUrlLength longest URL accepted
 * @param dnsTimeout longest wait for the host name lookup of one hop (also cut short by
 * {@code totalTimeout})
 * @param pooledHosts HTTP clients (one connection pool each, {@code maxPerHost} connections at
 * most) kept for reuse, one per host name and set of checked addresses
 * @param allowedNetworks address blocks ({@code a.b.c.d/n}, {@code ipv6/n}) a URL may reach even
 * though they are not public, e.g. the container network of a private image origin; empty by default
 */
@Validated
@ConfigurationProperties("intake.worker.fetch")
public record FetchProperties(@DefaultValue("false") boolean allowLoopback,
		@DefaultValue({ "80", "443" }) @NotEmpty Set<@Min(1) @Max(65535) Integer> allowedPorts,
		@DefaultValue("5s") @NotNull Duration connectTimeout, @DefaultValue("10s") @NotNull Duration readTimeout,
		@DefaultValue("30s") @NotNull Duration totalTimeout, @DefaultValue("3") @Min(0) @Max(10) int maxRedirects,
		@DefaultValue("4") @Min(1) int maxConcurrent, @DefaultValue("2") @Min(1) int maxPerHost,
		@DefaultValue("2048") @Min(16) int maxUrlLength, @DefaultValue("5s") @NotNull Duration dnsTimeout,
		@DefaultValue("64") @Min(1) int pooledHosts,
		@DefaultValue @NotNull List<String> allowedNetworks) {

	@ConstructorBinding
	public FetchProperties {
		for (Duration d : new Duration[] { connectTimeout, readTimeout, totalTimeout, dnsTimeout }) {
			if (d != null && (d.isNegative() || d.isZero())) {
				throw new IllegalArgumentException("intake.worker.fetch timeouts must be positive");
			}
		}
		if (allowedNetworks != null) {
			// fail at start-up on a block that cannot be read, not at the first URL
			allowedNetworks.forEach(AddressRules::network);
			allowedNetworks = List.copyOf(allowedNetworks);
		}
	}

	/** With the default number of pooled hosts (64) and no allowed non-public networks. */
	public FetchProperties(boolean allowLoopback, Set<Integer> allowedPorts, Duration connectTimeout,
			Duration readTimeout, Duration totalTimeout, int maxRedirects, int maxConcurrent, int maxPerHost,
			int maxUrlLength, Duration dnsTimeout) {
		this(allowLoopback, allowedPorts, connectTimeout, readTimeout, totalTimeout, maxRedirects, maxConcurrent,
				maxPerHost, maxUrlLength, dnsTimeout, 64, List.of());
	}

	/** With the given non-public networks allowed. */
	public FetchProperties(boolean allowLoopback, Set<Integer> allowedPorts, Duration connectTimeout,
			Duration readTimeout, Duration totalTimeout, int maxRedirects, int maxConcurrent, int maxPerHost,
			int maxUrlLength, Duration dnsTimeout, List<String> allowedNetworks) {
		this(allowLoopback, allowedPorts, connectTimeout, readTimeout, totalTimeout, maxRedirects, maxConcurrent,
				maxPerHost, maxUrlLength, dnsTimeout, 64, allowedNetworks);
	}

	/** With the given number of pooled hosts. */
	public FetchProperties(boolean allowLoopback, Set<Integer> allowedPorts, Duration connectTimeout,
			Duration readTimeout, Duration totalTimeout, int maxRedirects, int maxConcurrent, int maxPerHost,
			int maxUrlLength, Duration dnsTimeout, int pooledHosts) {
		this(allowLoopback, allowedPorts, connectTimeout, readTimeout, totalTimeout, maxRedirects, maxConcurrent,
				maxPerHost, maxUrlLength, dnsTimeout, pooledHosts, List.of());
	}

	/** With the default host name lookup deadline (5 s) and number of pooled hosts (64). */
	public FetchProperties(boolean allowLoopback, Set<Integer> allowedPorts, Duration connectTimeout,
			Duration readTimeout, Duration totalTimeout, int maxRedirects, int maxConcurrent, int maxPerHost,
			int maxUrlLength) {
		this(allowLoopback, allowedPorts, connectTimeout, readTimeout, totalTimeout, maxRedirects, maxConcurrent,
				maxPerHost, maxUrlLength, Duration.ofSeconds(5), 64, List.of());
	}

}
