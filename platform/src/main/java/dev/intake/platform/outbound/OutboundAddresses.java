package dev.intake.platform.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;

/**
 * The address policy for one outbound URL, all at once: the URL's text ({@link UrlRules}), then
 * every address its host resolves to ({@link AddressRules}; one refused address refuses the host,
 * since a retry or a rebinding may use it). The checked addresses are what a {@link PinnedDns}
 * must connect to. Blocking (a host name lookup).
 */
public final class OutboundAddresses {

	/** A URL that passed, with the addresses to pin. */
	public record Checked(UrlRules.Target target, InetAddress[] addresses) {
	}

	private OutboundAddresses() {
	}

	/**
	 * Checks {@code url} and resolves its host.
	 * @throws RefusedUrlException when the URL or any address of its host is not allowed, or the
	 * host name does not resolve
	 */
	public static Checked check(String url, Set<Integer> allowedPorts, int maxLength, boolean allowLoopback)
			throws RefusedUrlException {
		UrlRules.Target target = UrlRules.check(url, allowedPorts, maxLength);
		InetAddress[] addresses;
		try {
			addresses = target.isLiteral()
					? new InetAddress[] { InetAddress.getByAddress(target.host(), target.literal()) }
					: InetAddress.getAllByName(target.host());
		}
		catch (UnknownHostException ex) {
			throw new RefusedUrlException("its host name could not be resolved");
		}
		byte[] literal = target.literal();
		// a literal is judged as written: Java folds ::ffff:a.b.c.d into a plain IPv4 address
		Optional<String> refusal = (literal != null) ? AddressRules.refusal(literal, allowLoopback) : Optional.empty();
		for (int i = 0; refusal.isEmpty() && i < addresses.length; i++) {
			refusal = AddressRules.refusal(addresses[i], allowLoopback);
		}
		if (refusal.isPresent()) {
			throw new RefusedUrlException("its host points to a non-public address (" + refusal.get() + ")");
		}
		return new Checked(target, addresses);
	}

}
