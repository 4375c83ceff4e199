package dev.intake.platform.observe;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenant tag names the first tenants a process meets and no more. */
class TenantTagsTest {

	@Test
	void namesTheFirstTenantsAndCountsEveryLaterOneAsOther() {
		TenantTags tags = new TenantTags(2);

		assertThat(tags.of("acme")).isEqualTo("acme");
		assertThat(tags.of("globex")).isEqualTo("globex");
		assertThat(tags.of("initech")).isEqualTo(TenantTags.OTHER);
		// a tenant once named keeps its name
		assertThat(tags.of("acme")).isEqualTo("acme");
		assertThat(tags.of(null)).isEqualTo(TenantTags.NONE);
		assertThat(tags.of(" ")).isEqualTo(TenantTags.NONE);
	}

	@Test
	void neverMakesMoreValuesThanTheBoundHoweverManyTenantsComeAtOnce() {
		TenantTags tags = new TenantTags(10);
		Set<String> values = Collections.synchronizedSet(new HashSet<>());

		IntStream.range(0, 10_000).parallel().forEach(i -> values.add(tags.of("tenant-" + (i % 500))));

		assertThat(values).hasSize(11).contains(TenantTags.OTHER);
	}

	@Test
	void zeroNamesNoTenant() {
		assertThat(new TenantTags(0).of("acme")).isEqualTo(TenantTags.OTHER);
	}

}
