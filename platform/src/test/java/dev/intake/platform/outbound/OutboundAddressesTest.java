package dev.intake.platform.outbound;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The whole outbound check: text, then every address of the host (literals only here: no DNS in tests). */
class OutboundAddressesTest {

	private static final Set<Integer> WEB_PORTS = Set.of(80, 443, 8080);

	@ParameterizedTest
	@ValueSource(strings = { "http://127.0.0.1/hook", "http://[::1]/hook", "http://10.1.2.3/hook",
			"http://169.254.169.254/latest/meta-data", "http://[fd00::1]/hook", "http://[::ffff:127.0.0.1]/hook",
			"http://0.0.0.0/hook" })
	void refusesNonPublicAddressesByDefault(String url) {
		assertThatExceptionOfType(RefusedUrlException.class)
			.isThrownBy(() -> OutboundAddresses.check(url, WEB_PORTS, 2048, false))
			.withMessageStartingWith("its host points to a non-public address");
	}

	@Test
	void allowsLoopbackOnlyWhenAsked() throws RefusedUrlException {
		var checked = OutboundAddresses.check("http://127.0.0.1:8080/hook", WEB_PORTS, 2048, true);
		assertThat(checked.addresses()).hasSize(1);
		assertThat(checked.addresses()[0].getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(checked.target().port()).isEqualTo(8080);
		assertThatExceptionOfType(RefusedUrlException.class)
			.isThrownBy(() -> OutboundAddresses.check("http://10.0.0.1/hook", WEB_PORTS, 2048, true));
	}

	@Test
	void allowsPublicLiterals() throws RefusedUrlException {
		assertThat(OutboundAddresses.check("https://93.184.216.34/hook", WEB_PORTS, 2048, false).addresses())
			.hasSize(1);
	}

	@Test
	void refusesPortsAndSchemesByText() {
		assertThatExceptionOfType(RefusedUrlException.class)
			.isThrownBy(() -> OutboundAddresses.check("http://93.184.216.34:25/", WEB_PORTS, 2048, false))
			.withMessage("port 25 is not allowed");
		assertThatExceptionOfType(RefusedUrlException.class)
			.isThrownBy(() -> OutboundAddresses.check("file:///etc/passwd", WEB_PORTS, 2048, false));
	}

}
