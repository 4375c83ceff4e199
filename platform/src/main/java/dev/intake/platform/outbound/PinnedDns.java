package dev.intake.platform.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's only resolver for one outbound request: it answers with the addresses the
 * address policy already checked, and nothing else. No second lookup can happen between check and
 * connect (DNS rebinding), and no other host can be reached through this client.
 */
public final class PinnedDns implements DnsResolver {

	private final String host;

	private final InetAddress[] addresses;

	public PinnedDns(String host, InetAddress[] checked) {
		this.host = normalize(host);
		this.addresses = checked.clone();
	}

	@Override
	public InetAddress[] resolve(String name) throws UnknownHostException {
		if (!host.equals(normalize(name))) {
			throw new UnknownHostException("not the checked host: " + name);
		}
		return addresses.clone();
	}

	@Override
	public List<InetSocketAddress> resolve(String name, int port) throws UnknownHostException {
		return Arrays.stream(resolve(name)).map(a -> new InetSocketAddress(a, port)).toList();
	}

	@Override
	public String resolveCanonicalHostname(String name) throws UnknownHostException {
		resolve(name);
		return host;
	}

	public static String normalize(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return (lower.startsWith("[") && lower.endsWith("]")) ? lower.substring(1, lower.length() - 1) : lower;
	}

}
