package dev.intake.api.publish;

import java.util.List;
import java.util.function.LongFunction;

import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import dev.intake.platform.observe.TenantTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Counts what another {@link BatchPublisher} durably published: batches ({@value #BATCHES}) and
 * items ({@value #ITEMS}, by {@code kind}: {@code file} for uploaded bytes, {@code url} for
 * fetched ones), both by bounded {@code tenant} ({@link TenantTags}). The api-service's metric
 * names are all here.
 */
public final class MeteredBatchPublisher implements BatchPublisher {

	/** Counter of batches accepted and published, tag {@code tenant}. */
	public static final String BATCHES = "intake.batches.accepted";

	/** Counter of items accepted and published, tags {@code tenant} and {@code kind}. */
	public static final String ITEMS = "intake.items.accepted";

	private final BatchPublisher delegate;

	private final MeterRegistry registry;

	private final TenantTags tenants;

	public MeteredBatchPublisher(BatchPublisher delegate, MeterRegistry registry, TenantTags tenants) {
		this.delegate = delegate;
		this.registry = registry;
		this.tenants = tenants;
	}

	@Override
	public Mono<Void> publish(BatchSubmitted batch, List<IngestImage> jobs) {
		return delegate.publish(batch, jobs).doOnSuccess(done -> count(batch, jobs));
	}

	@Override
	public Mono<Publication> publishWithNewAsset(String tenant, LongFunction<Publication> batchFor) {
		return delegate.publishWithNewAsset(tenant, batchFor)
			.doOnNext(published -> count(published.batch(), published.jobs()));
	}

	private void count(BatchSubmitted batch, List<IngestImage> jobs) {
		String tenant = tenants.of(batch.tenant());
		Counter.builder(BATCHES)
			.description("Batches accepted and published")
			.tag("tenant", tenant)
			.register(registry)
			.increment();
		long urls = jobs.stream().filter(job -> job.source() instanceof ItemSource.Remote).count();
		items(tenant, "file").increment(jobs.size() - urls);
		items(tenant, "url").increment(urls);
	}

	private Counter items(String tenant, String kind) {
		return Counter.builder(ITEMS)
			.description("Items accepted and published as jobs")
			.tag("tenant", tenant)
			.tag("kind", kind)
			.register(registry);
	}

}
