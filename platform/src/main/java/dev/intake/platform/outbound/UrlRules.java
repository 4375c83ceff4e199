package dev.intake.platform.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which URLs Intake may request (URL items, webhook endpoints), judged from the text alone before any lookup: http or https
 * only, an allowed port, no user info, a plain host name or a canonical address literal. Host
 * spellings that C resolvers read as numbers ({@code 2130706433}, {@code 0177.0.0.1},
 * {@code 0x7f.1}, {@code 127.1}) are refused, as Java and glibc disagree on what they mean; so are
 * ports written other than as a plain number from 1 to 65535 ({@code :0443}, an empty {@code host:})
 * and IPv6 zone ids, which parsers also read differently, and spaces or control characters
 * anywhere (percent-encode them). Pure functions.
 */
public final class UrlRules {

	private static final HexFormat HEX = HexFormat.of().withUpperCase();

	/** A checked URL: what to request, and the host and port to connect to. */
	public record Target(URI uri, String host, int port, byte[] literal) {

		/** Whether the host is an address literal (no name to resolve). */
		public boolean isLiteral() {
			return literal != null;
		}

	}

	private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*");

	private static final Pattern NUMERIC_LABEL = Pattern.compile("0x[0-9a-f]*|[0-9]+");

	private static final Pattern CANONICAL_V4 = Pattern
		.compile("(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

	private static final Pattern V6_LITERAL = Pattern.compile("\\[[0-9a-f.]*:[0-9a-f:.]*\\]");

	private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");

	private static final int MAX_PORT = 65535;

	private UrlRules() {
	}

	/**
	 * Checks a URL as text.
	 * @throws RefusedUrlException saying why it is not allowed
	 */
	public static Target check(String url, Set<Integer> allowedPorts, int maxLength) throws RefusedUrlException {
		if (url == null || url.isBlank()) {
			throw refused("it is empty");
		}
		if (url.length() > maxLength) {
			throw refused("it is longer than " + maxLength + " characters");
		}
		if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c))) {
			throw refused("it holds a space or control character");
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw refused("it is not a valid URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw refused("only http and https URLs are allowed");
		}
		if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
			throw refused("URLs with user information are not allowed");
		}
		String writtenPort = writtenPort(uri.getRawAuthority());
		if (writtenPort != null && !(PORT.matcher(writtenPort).matches() && Integer.parseInt(writtenPort) <= MAX_PORT)) {
			throw refused("its port must be a number from 1 to " + MAX_PORT + ", without leading zeros");
		}
		if (uri.getHost() == null) {
			throw refused("it has no valid host name");
		}
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		int port = (uri.getPort() != -1) ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
		if (!allowedPorts.contains(port)) {
			throw refused("port " + port + " is not allowed");
		}
		byte[] literal = literal(host);
		URI request = withoutFragment(uri);
		return new Target(request, literal != null && host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
				port, literal);
	}

	/**
	 * The port as written after the host ({@code "0443"} for {@code host:0443}, {@code ""} for
	 * {@code host:}); null when the authority names none. {@link URI} reads {@code 0443} as 443 and
	 * an empty port as the default one, where other parsers may not.
	 */
	private static String writtenPort(String authority) {
		if (authority == null) {
			return null;
		}
		int colon = authority.lastIndexOf(':');
		return (colon > authority.lastIndexOf(']')) ? authority.substring(colon + 1) : null;
	}

	/** The address bytes when the host is an address literal; null for a host name. */
	private static byte[] literal(String host) throws RefusedUrlException {
		if (host.startsWith("[")) {
			if (host.indexOf('%') >= 0) {
				throw refused("IPv6 zone ids (%...) are not allowed");
			}
			if (!V6_LITERAL.matcher(host).matches()) {
				throw refused("its IPv6 address is not allowed");
			}
			try {
				return AddressRules.literalBytes(host.substring(1, host.length() - 1));
			}
			catch (IllegalArgumentException ex) {
				throw refused("its IPv6 address is not valid");
			}
		}
		if (!NAME.matcher(host).matches()) {
			throw refused("its host name is not valid");
		}
		String[] labels = host.split("\\.");
		// WHATWG and C resolvers read a host whose last label is numeric as an IPv4 address
		if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
			if (!CANONICAL_V4.matcher(host).matches()) {
				throw refused("numeric host names must be written as four decimal numbers (a.b.c.d)");
			}
			return AddressRules.literalBytes(host);
		}
		return null;
	}

	/**
	 * The URI to request: without its fragment, and with characters outside ASCII (a path or query
	 * written as text, {@code /фото.jpg}) percent-encoded as the UTF-8 of the characters as written,
	 * as browsers send them; an HTTP client would otherwise send them as {@code ?}. Not
	 * {@link URI#toASCIIString}, which normalizes the text first (NFC) and so would ask for another
	 * object key than a decomposed name's.
	 */
	private static URI withoutFragment(URI uri) throws RefusedUrlException {
		String text = percentEncodeNonAscii(uri.toString());
		int fragment = text.indexOf('#');
		try {
			return new URI((fragment < 0) ? text : text.substring(0, fragment));
		}
		catch (URISyntaxException ex) {
			throw refused("it is not a valid URL");
		}
	}

	private static String percentEncodeNonAscii(String text) {
		StringBuilder out = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				out.append(c);
				continue;
			}
			int end = (Character.isHighSurrogate(c) && i + 1 < text.length()) ? i + 2 : i + 1;
			for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
				out.append('%').append(HEX.toHexDigits(b));
			}
			i = end - 1;
		}
		return out.toString();
	}

	private static RefusedUrlException refused(String reason) {
		return new RefusedUrlException(reason);
	}

}
