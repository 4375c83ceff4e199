package dev.intake.platform.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;

/**
 * The address policy for one outbound URL, all at once: the URL's text ({@link UrlRules}), then
 * every address its host resolves to ({@link AddressRules}; one refused address refuses the host,
 * since a retry or a rebinding may use it). The host is looked up through a {@link BoundedLookup},
 * so the lookup ends by the caller's deadline. The checked addresses are what a {@link PinnedDns}
 * must connect to.
 */
public final class OutboundAddresses {

	/** A URL that passed, with the addresses to pin. */
	public record Checked(UrlRules.Target target, InetAddress[] addresses) {
	}

	private OutboundAddresses() {
	}

	/**
	 * Checks {@code url} and resolves its host, by {@code deadline} (a {@link System#nanoTime()} value).
	 * @throws RefusedUrlException when the URL or any address of its host is not allowed, or the
	 * host name has no addresses
	 * @throws LookupException when the lookup did not end in time, or failed in a way worth another try
	 */
	public static Checked check(String url, Set<Integer> allowedPorts, int maxLength, boolean allowLoopback,
			BoundedLookup lookups, long deadline) throws RefusedUrlException, LookupException {
		UrlRules.Target target = UrlRules.check(url, allowedPorts, maxLength);
		byte[] literal = target.literal();
		// a literal is judged as written: Java folds ::ffff:a.b.c.d into a plain IPv4 address
		Optional<String> refusal = (literal != null) ? AddressRules.refusal(literal, allowLoopback) : Optional.empty();
		if (refusal.isPresent()) {
			throw refused(refusal.get());
		}
		InetAddress[] addresses;
		try {
			addresses = target.isLiteral() ? new InetAddress[] { InetAddress.getByAddress(target.host(), literal) }
					: lookups.resolve(target.host(), deadline);
		}
		catch (UnknownHostException ex) {
			throw new RefusedUrlException("its address is not valid");
		}
		catch (LookupException ex) {
			if (ex.unresolvable()) {
				throw new RefusedUrlException(ex.getMessage());
			}
			throw ex;
		}
		for (int i = 0; refusal.isEmpty() && i < addresses.length; i++) {
			refusal = AddressRules.refusal(addresses[i], allowLoopback);
		}
		if (refusal.isPresent()) {
			throw refused(refusal.get());
		}
		return new Checked(target, addresses);
	}

	private static RefusedUrlException refused(String why) {
		return new RefusedUrlException("its host points to a non-public address (" + why + ")");
	}

}
