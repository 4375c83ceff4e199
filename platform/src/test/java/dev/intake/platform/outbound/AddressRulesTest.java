package dev.intake.platform.outbound;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The deny table, over every address form it must catch and the public ones it must not. */
class AddressRulesTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			0.0.0.0          | unspecified ('this network')
			0.1.2.3          | unspecified ('this network')
			127.0.0.1        | loopback
			127.255.255.254  | loopback
			10.0.0.1         | private
			10.255.255.255   | private
			172.16.0.1       | private
			172.31.255.255   | private
			192.168.1.1      | private
			100.64.0.1       | shared (CGNAT)
			100.127.255.255  | shared (CGNAT)
			169.254.169.254  | link-local
			192.0.0.8        | IETF protocol assignment
			192.0.2.1        | documentation
			198.51.100.7     | documentation
			203.0.113.9      | documentation
			192.88.99.1      | 6to4 relay
			198.18.0.1       | benchmarking
			198.19.255.255   | benchmarking
			224.0.0.1        | multicast
			239.255.255.250  | multicast
			240.0.0.1        | reserved
			255.255.255.255  | broadcast
			::               | unspecified
			::1              | loopback
			::ffff:127.0.0.1 | IPv4-mapped
			::ffff:a9fe:a9fe | IPv4-mapped
			::ffff:8.8.8.8   | IPv4-mapped
			::127.0.0.1      | IPv4-compatible
			64:ff9b::7f00:1  | NAT64
			64:ff9b::808:808 | NAT64
			64:ff9b:1::1     | NAT64 (local)
			100::1           | discard-only
			2001:db8::1      | documentation
			3fff::1          | documentation
			2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo
			2002:7f00:1::1   | 6to4
			2002:a9fe:a9fe::1 | 6to4
			2001:10::1       | ORCHID
			2001:20::1       | ORCHIDv2
			fc00::1          | unique-local
			fd00:ec2::254    | unique-local
			fe80::1          | link-local
			febf::1          | link-local
			fec0::1          | site-local
			ff02::1          | multicast
			ff0e::1          | multicast
			4000::1          | not global unicast
			::2              | IPv4-compatible
			""")
	void refusesNonPublicAddresses(String literal, String reason) {
		assertThat(AddressRules.refusal(AddressRules.literalBytes(literal), false)).contains(reason);
		// allowing loopback never opens anything else up
		if (!reason.equals("loopback")) {
			assertThat(AddressRules.refusal(AddressRules.literalBytes(literal), true)).contains(reason);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.0", "100.63.255.255",
			"100.128.0.0", "198.17.255.255", "198.20.0.0", "192.0.1.255", "192.0.3.0", "223.255.255.255",
			"169.253.255.255", "11.0.0.0", "2606:4700:4700::1111", "2a00:1450:4001:82a::200e", "2001:4860:4860::8888",
			"2001:db9::1", "2003::1" })
	void allowsPublicAddresses(String literal) {
		assertThat(AddressRules.refusal(AddressRules.literalBytes(literal), false)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.1.2.3", "::1" })
	void loopbackOnlyWhenAllowed(String literal) {
		assertThat(AddressRules.refusal(AddressRules.literalBytes(literal), false)).contains("loopback");
		assertThat(AddressRules.refusal(AddressRules.literalBytes(literal), true)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "::ffff:127.0.0.1", "0.0.0.0", "::", "10.0.0.1", "169.254.169.254" })
	void allowingLoopbackDoesNotAllowTheOtherLocalForms(String literal) {
		assertThat(AddressRules.refusal(AddressRules.literalBytes(literal), true)).isPresent();
	}

	@org.junit.jupiter.api.Test
	void javaFoldedMappedAddressesAreJudgedAsIpv4() throws Exception {
		// InetAddress turns ::ffff:10.0.0.1 into 10.0.0.1; the IPv4 rules then still apply
		assertThat(AddressRules.refusal(java.net.InetAddress.getByName("::ffff:10.0.0.1"), false)).contains("private");
	}


	@org.junit.jupiter.api.Test
	void anAllowedNetworkOpensOnlyItsOwnAddresses() {
		java.util.List<AddressRules.Range> allowed = java.util.List.of(AddressRules.network("172.28.5.0/24"));
		assertThat(AddressRules.refusal(AddressRules.literalBytes("172.28.5.17"), false, allowed)).isEmpty();
		assertThat(AddressRules.refusal(AddressRules.literalBytes("172.28.6.17"), false, allowed)).contains("private");
		assertThat(AddressRules.refusal(AddressRules.literalBytes("127.0.0.1"), false, allowed)).contains("loopback");
		assertThat(AddressRules.refusal(AddressRules.literalBytes("::ffff:172.28.5.17"), false, allowed))
			.contains("IPv4-mapped");
		assertThat(AddressRules.refusal(AddressRules.literalBytes("fd00:1::5"), false,
				java.util.List.of(AddressRules.network("fd00:1::/64")))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "172.28.5.0", "172.28.5.0/33", "::/129", "example.org/24", "10.0.0.0/x", "/8" })
	void aBlockThatCannotBeReadIsRefused(String cidr) {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> AddressRules.network(cidr));
	}

}
