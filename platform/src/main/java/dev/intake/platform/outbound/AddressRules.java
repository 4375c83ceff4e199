package dev.intake.platform.outbound;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Our own table of addresses Intake never connects to (URL fetching, webhook delivery). Java's {@code isSiteLocalAddress()}
 * and friends miss unique-local IPv6, CGNAT, benchmark and broadcast ranges, so they are not
 * used. IPv6 is further limited to global unicast (2000::/3); the IPv6 forms that embed or
 * translate an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are refused outright.
 * Pure functions, no lookups.
 */
public final class AddressRules {

	/** An address block: the first {@code bits} bits of {@code prefix}. */
	public record Range(byte[] prefix, int bits, String reason) {

		public boolean contains(byte[] address) {
			if (address.length != prefix.length) {
				return false;
			}
			int full = bits / 8;
			for (int i = 0; i < full; i++) {
				if (address[i] != prefix[i]) {
					return false;
				}
			}
			int rest = bits % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xFF << (8 - rest)) & 0xFF;
			return (address[full] & mask) == (prefix[full] & mask);
		}

	}

	private static final List<Range> DENIED = List.of(
			// IPv4
			range("255.255.255.255", 32, "broadcast"), range("0.0.0.0", 8, "unspecified ('this network')"),
			range("127.0.0.0", 8, "loopback"), range("10.0.0.0", 8, "private"),
			range("172.16.0.0", 12, "private"), range("192.168.0.0", 16, "private"),
			range("100.64.0.0", 10, "shared (CGNAT)"), range("169.254.0.0", 16, "link-local"),
			range("192.0.0.0", 24, "IETF protocol assignment"), range("192.0.2.0", 24, "documentation"),
			range("198.51.100.0", 24, "documentation"), range("203.0.113.0", 24, "documentation"),
			range("192.88.99.0", 24, "6to4 relay"), range("198.18.0.0", 15, "benchmarking"),
			range("224.0.0.0", 4, "multicast"), range("240.0.0.0", 4, "reserved"),
			// IPv6
			range("::", 128, "unspecified"), range("::1", 128, "loopback"),
			range("::ffff:0:0", 96, "IPv4-mapped"), range("::", 96, "IPv4-compatible"),
			range("64:ff9b::", 96, "NAT64"), range("64:ff9b:1::", 48, "NAT64 (local)"),
			range("100::", 64, "discard-only"), range("2001:db8::", 32, "documentation"),
			range("3fff::", 20, "documentation"), range("2001::", 32, "Teredo"), range("2002::", 16, "6to4"),
			range("2001:10::", 28, "ORCHID"), range("2001:20::", 28, "ORCHIDv2"),
			range("fc00::", 7, "unique-local"), range("fe80::", 10, "link-local"),
			range("fec0::", 10, "site-local"), range("ff00::", 8, "multicast"));

	private static final Range GLOBAL_UNICAST_V6 = range("2000::", 3, "global unicast");

	private static final Range LOOPBACK_V4 = range("127.0.0.0", 8, "loopback");

	private static final Range LOOPBACK_V6 = range("::1", 128, "loopback");

	private AddressRules() {
	}

	/**
	 * Why Intake must not connect to {@code address}, or empty when it may.
	 * @param allowLoopback whether 127.0.0.0/8 and ::1 are allowed (tests and local runs only)
	 */
	public static Optional<String> refusal(InetAddress address, boolean allowLoopback) {
		return refusal(address.getAddress(), allowLoopback, List.of());
	}

	/**
	 * As {@link #refusal(InetAddress, boolean)}; an address inside one of {@code allowedNetworks}
	 * is allowed whatever block it is in.
	 */
	public static Optional<String> refusal(InetAddress address, boolean allowLoopback, List<Range> allowedNetworks) {
		return refusal(address.getAddress(), allowLoopback, allowedNetworks);
	}

	/** As {@link #refusal(InetAddress, boolean)}, for the raw 4 or 16 address bytes. */
	public static Optional<String> refusal(byte[] address, boolean allowLoopback) {
		return refusal(address, allowLoopback, List.of());
	}

	/** As {@link #refusal(InetAddress, boolean, List)}, for the raw 4 or 16 address bytes. */
	public static Optional<String> refusal(byte[] address, boolean allowLoopback, List<Range> allowedNetworks) {
		if (address.length != 4 && address.length != 16) {
			return Optional.of("not an IP address");
		}
		for (Range network : allowedNetworks) {
			if (network.contains(address)) {
				return Optional.empty();
			}
		}
		if (allowLoopback && (LOOPBACK_V4.contains(address) || LOOPBACK_V6.contains(address))) {
			return Optional.empty();
		}
		for (Range range : DENIED) {
			if (range.contains(address)) {
				return Optional.of(range.reason());
			}
		}
		if (address.length == 16 && !GLOBAL_UNICAST_V6.contains(address)) {
			return Optional.of("not global unicast");
		}
		return Optional.empty();
	}

	/**
	 * The block written as {@code a.b.c.d/n} or {@code ipv6/n} (numeric address, prefix length).
	 * @throws IllegalArgumentException when {@code cidr} is not such a block
	 */
	public static Range network(String cidr) {
		int slash = cidr.indexOf('/');
		if (slash < 0) {
			throw new IllegalArgumentException("not an address block (address/prefix-length): " + cidr);
		}
		String literal = cidr.substring(0, slash).strip();
		if (!literal.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
			throw new IllegalArgumentException("not a numeric address: " + cidr);
		}
		byte[] prefix = literalBytes(literal);
		int bits;
		try {
			bits = Integer.parseInt(cidr.substring(slash + 1).strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("not a prefix length: " + cidr, ex);
		}
		if (bits < 0 || bits > prefix.length * 8) {
			throw new IllegalArgumentException("prefix length out of range: " + cidr);
		}
		return new Range(prefix, bits, "allowed network " + cidr);
	}

	private static Range range(String literal, int bits, String reason) {
		return new Range(literalBytes(literal), bits, reason);
	}

	/** The bytes of a numeric literal, as written (IPv4-mapped IPv6 stays 16 bytes). */
	public static byte[] literalBytes(String literal) {
		try {
			InetAddress address = InetAddress.getByName(literal);
			if (literal.contains(":") && address instanceof Inet4Address v4) {
				// Java turns ::ffff:a.b.c.d into an Inet4Address; keep the 16-byte form
				byte[] mapped = new byte[16];
				mapped[10] = (byte) 0xFF;
				mapped[11] = (byte) 0xFF;
				System.arraycopy(v4.getAddress(), 0, mapped, 12, 4);
				return mapped;
			}
			return address.getAddress();
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("not a literal: " + literal, ex);
		}
	}

}
