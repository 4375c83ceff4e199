package dev.intake.platform.outbound;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PinnedDnsTest {

	@Test
	void answersOnlyForTheCheckedHostWithTheCheckedAddresses() throws Exception {
		InetAddress checked = InetAddress.getByName("127.0.0.1");
		PinnedDns dns = new PinnedDns("Images.Test", new InetAddress[] { checked });
		assertThat(dns.resolve("images.test")).containsExactly(checked);
		assertThat(dns.resolve("images.test", 8443)).containsExactly(new InetSocketAddress(checked, 8443));
		assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> dns.resolve("other.test"));
		assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> dns.resolve("other.test", 80));
	}

	@Test
	void ipv6LiteralsMatchWithOrWithoutBrackets() throws Exception {
		InetAddress loopback = InetAddress.getByName("::1");
		PinnedDns dns = new PinnedDns("::1", new InetAddress[] { loopback });
		assertThat(dns.resolve("[::1]")).containsExactly(loopback);
		assertThat(dns.resolve("::1")).containsExactly(loopback);
	}

}
