package dev.intake.platform.outbound;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** URL checks made on the text alone, before any lookup. */
class UrlRulesTest {

	private static final Set<Integer> WEB_PORTS = Set.of(80, 443);

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			http://2130706433/                | numeric host names must be written as four decimal numbers (a.b.c.d)
			http://017700000001/              | numeric host names must be written as four decimal numbers (a.b.c.d)
			http://0x7f000001/                | numeric host names must be written as four decimal numbers (a.b.c.d)
			http://0x7f.1/                    | it has no valid host name
			http://0177.0.0.1/                | numeric host names must be written as four decimal numbers (a.b.c.d)
			http://127.1/                     | it has no valid host name
			http://127.0.1/                   | it has no valid host name
			http://127.000.000.001/           | numeric host names must be written as four decimal numbers (a.b.c.d)
			http://256.0.0.1/                 | it has no valid host name
			http://1.2.3.4.5/                 | it has no valid host name
			http://example.0x10/              | it has no valid host name
			http://a.b.123/                   | it has no valid host name
			http://0/                         | numeric host names must be written as four decimal numbers (a.b.c.d)
			file:///etc/passwd                | only http and https URLs are allowed
			jar:http://example.com/a.jar!/x   | only http and https URLs are allowed
			ftp://example.com/a.png           | only http and https URLs are allowed
			gopher://example.com/             | only http and https URLs are allowed
			dict://example.com:11211/         | only http and https URLs are allowed
			//example.com/a.png               | only http and https URLs are allowed
			example.com/a.png                 | only http and https URLs are allowed
			http://user:pass@example.com/     | URLs with user information are not allowed
			http://example.com@127.0.0.1/     | URLs with user information are not allowed
			http://@example.com/              | URLs with user information are not allowed
			http://example.com:22/            | port 22 is not allowed
			http://example.com:6379/          | port 6379 is not allowed
			https://example.com:9092/         | port 9092 is not allowed
			http://example.com:8080/          | port 8080 is not allowed
			http://127。0。0。1/               | it has no valid host name
			http://１２７.0.0.1/               | it has no valid host name
			http:///a.png                     | it has no valid host name
			http://exa_mple.com/              | it has no valid host name
			http://example..com/              | it has no valid host name
			http://-example.com/              | it has no valid host name
			http://example.com./              | its host name is not valid
			https://example.com:0443/hook     | its port must be a number from 1 to 65535, without leading zeros
			https://example.com:00080/        | its port must be a number from 1 to 65535, without leading zeros
			https://93.184.216.34:0443/       | its port must be a number from 1 to 65535, without leading zeros
			https://[2606:4700::1111]:0443/   | its port must be a number from 1 to 65535, without leading zeros
			https://example.com:/hook         | its port must be a number from 1 to 65535, without leading zeros
			https://example.com:0/hook        | its port must be a number from 1 to 65535, without leading zeros
			https://example.com:65536/hook    | its port must be a number from 1 to 65535, without leading zeros
			https://example.com:99999999999/  | its port must be a number from 1 to 65535, without leading zeros
			https://example.com:+443/         | its port must be a number from 1 to 65535, without leading zeros
			https://example.com:-1/           | its port must be a number from 1 to 65535, without leading zeros
			https://user:pw@example.com/      | URLs with user information are not allowed
			http://[fe80::1%25eth0]/          | IPv6 zone ids (%...) are not allowed
			http://[fe80::1%eth0]/            | IPv6 zone ids (%...) are not allowed
			http://exa mple.com/              | it holds a space or control character
			`https://example.com/hook `       | it holds a space or control character
			` https://example.com/hook`       | it holds a space or control character
			`https://example.com/a\tb`        | it holds a space or control character
			`   `                             | it is empty
			""")
	void refusesBeforeAnyLookup(String url, String reason) {
		assertThatExceptionOfType(RefusedUrlException.class)
			.isThrownBy(() -> UrlRules.check(url, WEB_PORTS, 2048))
			.withMessage(reason);
	}

	@Test
	void refusesOverlongUrls() {
		String url = "http://example.com/" + "a".repeat(3000);
		assertThatExceptionOfType(RefusedUrlException.class).isThrownBy(() -> UrlRules.check(url, WEB_PORTS, 2048))
			.withMessage("it is longer than 2048 characters");
	}

	@Test
	void acceptsPlainNamesWithTheirDefaultPortsAndDropsTheFragment() throws Exception {
		UrlRules.Target https = UrlRules.check("HTTPS://Images.Example.COM/a/b.png?x=1#frag", WEB_PORTS, 2048);
		assertThat(https.host()).isEqualTo("images.example.com");
		assertThat(https.port()).isEqualTo(443);
		assertThat(https.isLiteral()).isFalse();
		assertThat(https.uri().toString()).isEqualTo("HTTPS://Images.Example.COM/a/b.png?x=1");

		UrlRules.Target http = UrlRules.check("http://123.example.com/img", WEB_PORTS, 2048);
		assertThat(http.port()).isEqualTo(80);
		assertThat(http.isLiteral()).isFalse();
	}

	/** A path or query written as text is requested percent-encoded (UTF-8); escapes stay as sent. */
	@Test
	void requestsCharactersOutsideAsciiPercentEncoded() throws Exception {
		assertThat(UrlRules.check("http://example.com/фото.jpg?q=café#frag", WEB_PORTS, 2048).uri().toString())
			.isEqualTo("http://example.com/%D1%84%D0%BE%D1%82%D0%BE.jpg?q=caf%C3%A9");
		assertThat(UrlRules.check("http://example.com/%D1%84%20x.jpg", WEB_PORTS, 2048).uri().toString())
			.isEqualTo("http://example.com/%D1%84%20x.jpg");
		// as written, not normalized: a decomposed é stays e + U+0301, Å (U+212B) stays itself
		assertThat(UrlRules.check("http://example.com/cafe\u0301.jpg?q=\u212b&e=\ud83d\ude00", WEB_PORTS, 2048).uri().toString())
			.isEqualTo("http://example.com/cafe%CC%81.jpg?q=%E2%84%AB&e=%F0%9F%98%80");
	}

	@Test
	void acceptsCanonicalLiteralsForTheAddressCheck() throws Exception {
		UrlRules.Target v4 = UrlRules.check("http://93.184.216.34/a.png", WEB_PORTS, 2048);
		assertThat(v4.literal()).containsExactly(93, 184, 216, 34);
		UrlRules.Target v6 = UrlRules.check("http://[2606:4700::1111]/a.png", WEB_PORTS, 2048);
		assertThat(v6.host()).isEqualTo("2606:4700::1111");
		assertThat(v6.literal()).hasSize(16);
		UrlRules.Target mapped = UrlRules.check("http://[::ffff:127.0.0.1]/", WEB_PORTS, 2048);
		assertThat(AddressRules.refusal(mapped.literal(), true)).contains("IPv4-mapped");
	}

	@Test
	void configuredPortsAreAllowed() throws Exception {
		assertThat(UrlRules.check("http://example.com:8080/", Set.of(8080), 2048).port()).isEqualTo(8080);
		assertThat(UrlRules.check("https://example.com:443/", WEB_PORTS, 2048).port()).isEqualTo(443);
		assertThat(UrlRules.check("http://[2606:4700::1111]:65535/", Set.of(65535), 2048).port()).isEqualTo(65535);
		assertThatExceptionOfType(RefusedUrlException.class)
			.isThrownBy(() -> UrlRules.check("http://example.com/", Set.of(8080), 2048))
			.withMessage("port 80 is not allowed");
	}

}
