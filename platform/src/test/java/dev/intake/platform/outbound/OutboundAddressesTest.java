package dev.intake.platform.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole outbound check: text, then every address of the host. No DNS in tests: names are
 * answered by a resolver of the test.
 */
@Timeout(20)
class OutboundAddressesTest {

	private static final Set<Integer> WEB_PORTS = Set.of(80, 443, 8080);

	private static final Map<String, String> NAMES = Map.of("public.test", "93.184.216.34", "private.test", "10.0.0.7",
			"metadata.test", "169.254.169.254");

	private final CountDownLatch release = new CountDownLatch(1);

	private final BoundedLookup lookups = new BoundedLookup("test", host -> {
		if ("hanging.test".equals(host)) {
			// like the system resolver, it cannot be interrupted
			while (release.getCount() > 0) {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					// ignored
				}
			}
		}
		String address = NAMES.get(host);
		if (address == null) {
			throw new UnknownHostException(host);
		}
		return new InetAddress[] { InetAddress.getByName(address) };
	}, Duration.ofSeconds(5), 1);

	@AfterEach
	void close() {
		release.countDown();
		lookups.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1/hook", "http://[::1]/hook", "http://10.1.2.3/hook",
			"http://169.254.169.254/latest/meta-data", "http://[fd00::1]/hook", "http://[::ffff:127.0.0.1]/hook",
			"http://0.0.0.0/hook", "http://private.test/hook", "http://metadata.test/" })
	void refusesNonPublicAddressesByDefault(String url) {
		assertThatExceptionOfType(RefusedUrlException.class).isThrownBy(() -> check(url, false))
			.withMessageStartingWith("its host points to a non-public address");
	}

	@Test
	void allowsLoopbackOnlyWhenAsked() throws Exception {
		var checked = check("http://127.0.0.1:8080/hook", true);
		assertThat(checked.addresses()).hasSize(1);
		assertThat(checked.addresses()[0].getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(checked.target().port()).isEqualTo(8080);
		assertThatExceptionOfType(RefusedUrlException.class).isThrownBy(() -> check("http://10.0.0.1/hook", true));
	}

	@Test
	void allowsPublicAddresses() throws Exception {
		assertThat(check("https://93.184.216.34/hook", false).addresses()).hasSize(1);
		assertThat(check("https://public.test/hook", false).addresses()[0].getHostAddress()).isEqualTo("93.184.216.34");
	}

	@Test
	void refusesPortsAndSchemesByText() {
		assertThatExceptionOfType(RefusedUrlException.class).isThrownBy(() -> check("http://93.184.216.34:25/", false))
			.withMessage("port 25 is not allowed");
		assertThatExceptionOfType(RefusedUrlException.class).isThrownBy(() -> check("file:///etc/passwd", false));
	}

	@Test
	void refusesANameWithoutAddresses() {
		assertThatExceptionOfType(RefusedUrlException.class).isThrownBy(() -> check("https://unknown.test/", false))
			.withMessage("its host name could not be resolved");
	}

	@Test
	void aLookupThatHangsEndsAtTheDeadlineAndIsWorthAnotherTry() {
		long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
		assertThatExceptionOfType(LookupException.class)
			.isThrownBy(() -> OutboundAddresses.check("https://hanging.test/", WEB_PORTS, 2048, false, lookups, deadline))
			.withMessageStartingWith("its host name could not be resolved within")
			.matches(ex -> !ex.unresolvable());
		// the stuck lookup holds the only thread: the next one fails at once instead of piling up
		assertThatExceptionOfType(LookupException.class).isThrownBy(() -> check("https://public.test/", false))
			.withMessage("too many host name lookups were in progress");
	}

	private OutboundAddresses.Checked check(String url, boolean allowLoopback) throws Exception {
		return OutboundAddresses.check(url, WEB_PORTS, 2048, allowLoopback, lookups,
				System.nanoTime() + Duration.ofSeconds(5).toNanos());
	}

}
