package dev.intake.api.limits;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte budget of {@link TenantQuotas} on its own: counted in KiB, so settings far above what
 * a bucket of single bytes allows (60 GB per minute) work instead of failing every submit.
 */
class TenantQuotasTest {

	@Test
	void aBytesPerMinuteAboveSixtyGigabytesChargesInsteadOfFailing() {
		TenantQuotas quotas = new TenantQuotas(limits(DataSize.ofGigabytes(100)));

		assertThat(quotas.chargeBytes("acme", 3L * 1024 * 1024 * 1024)).isNull();
	}

	@Test
	void aTenantOverItsBytesPerMinuteIsRefusedWithRetryAfter() {
		TenantQuotas quotas = new TenantQuotas(limits(DataSize.ofMegabytes(10)));

		assertThat(quotas.chargeBytes("acme", 6 * 1024 * 1024)).isNull();
		assertThat(quotas.chargeBytes("other", 6 * 1024 * 1024)).isNull();
		var refused = quotas.chargeBytes("acme", 6 * 1024 * 1024);

		assertThat(refused).isNotNull();
		assertThat(refused.getMessage()).contains("10 MB per minute");
		assertThat(refused.headers().getFirst("Retry-After")).isNotNull();
	}

	@Test
	void aTenantHasAtMostItsLiveProgressStreamsOpenAndGetsThemBack() {
		TenantQuotas quotas = new TenantQuotas(limits(DataSize.ofMegabytes(10)));

		assertThat(quotas.openEventStream("acme")).isNull();
		assertThat(quotas.openEventStream("acme")).isNull();
		var refused = quotas.openEventStream("acme");
		assertThat(refused).isNotNull();
		assertThat(refused.status().value()).isEqualTo(429);
		assertThat(refused.headers().getFirst("Retry-After")).isEqualTo("5");
		assertThat(quotas.openEventStream("other")).isNull();

		quotas.closeEventStream("acme");
		assertThat(quotas.openEventStream("acme")).isNull();
	}

	@Test
	void partialKibibytesAreRoundedUp() {
		assertThat(TenantQuotas.kibibytes(0)).isZero();
		assertThat(TenantQuotas.kibibytes(1)).isOne();
		assertThat(TenantQuotas.kibibytes(1024)).isOne();
		assertThat(TenantQuotas.kibibytes(1025)).isEqualTo(2);
	}

	private static LimitProperties limits(DataSize bytesPerMinute) {
		return new LimitProperties(1200, 3000, bytesPerMinute, 8, Duration.ofSeconds(60), Duration.ofMinutes(15),
				DataSize.ofKilobytes(1), Duration.ofSeconds(30), 2);
	}

	@Test
	void sizesInMessagesAreShownInTheirLargestUnit() {
		assertThat(TenantQuotas.shown(DataSize.ofKilobytes(4))).isEqualTo("4 KB");
		assertThat(TenantQuotas.shown(DataSize.ofGigabytes(5))).isEqualTo("5 GB");
		assertThat(TenantQuotas.shown(DataSize.ofMegabytes(10))).isEqualTo("10 MB");
		assertThat(TenantQuotas.shown(DataSize.ofBytes(1536 * 1024))).isEqualTo("1.5 MB");
		assertThat(TenantQuotas.shown(DataSize.ofBytes(100))).isEqualTo("100 bytes");
	}

	@Test
	void aBodyReadInSmallPiecesIsChargedItsSizeInWholeKibibytes() {
		long[] read = new long[1];
		long charged = 0;
		for (int i = 0; i < 100; i++) {
			charged += TenantQuotas.newKibibytes(read, 100);
		}
		assertThat(read[0]).isEqualTo(10_000);
		assertThat(charged).isEqualTo(10 * 1024);
		assertThat(TenantQuotas.newKibibytes(read, 240)).as("within the KiB already charged").isZero();
		assertThat(TenantQuotas.newKibibytes(read, 1)).isEqualTo(1024);
	}

}
