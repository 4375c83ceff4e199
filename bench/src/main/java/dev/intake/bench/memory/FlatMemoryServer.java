package dev.intake.bench.memory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.concurrent.atomic.AtomicLong;

import dev.intake.api.ApiServiceApplication;
import dev.intake.api.publish.BatchPublisher;
import dev.intake.contracts.BatchSubmitted;
import dev.intake.contracts.IngestImage;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The api-service as {@link FlatMemoryRun} starts it in its own JVM ({@code -Xmx256m}): batches go
 * to a publisher that drops them instead of Kafka, and the heap is sampled every 10 ms. Prints
 * {@code FLATMEM port=<port>} once started and {@code FLATMEM heap-peak=<bytes> live-peak=<bytes>}
 * every second (live: heap left after the latest collection); a line {@code reset} on stdin resets
 * the peaks. Run it through {@code bench/scripts/flat-memory.sh}.
 */
public final class FlatMemoryServer {

	private static final AtomicLong heapPeak = new AtomicLong();

	private static final AtomicLong livePeak = new AtomicLong();

	private FlatMemoryServer() {
	}

	public static void main(String[] args) throws Exception {
		SpringApplication app = ApiServiceApplication.application();
		app.addInitializers(context -> ((GenericApplicationContext) context).registerBean("droppingBatchPublisher",
				BatchPublisher.class, DroppingBatchPublisher::new, bean -> bean.setPrimary(true)));
		ConfigurableApplicationContext context = app.run(args);
		System.out.println("FLATMEM port=" + context.getEnvironment().getProperty("local.server.port"));
		daemon(FlatMemoryServer::sample);
		daemon(FlatMemoryServer::report);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			if (line.equals("reset")) {
				System.gc();
				heapPeak.set(0);
				livePeak.set(0);
			}
		}
		context.close();
	}

	private static void sample() {
		List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter(pool -> pool.getType() == MemoryType.HEAP)
			.toList();
		while (true) {
			long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			long live = heap.stream()
				.map(MemoryPoolMXBean::getCollectionUsage)
				.filter(usage -> usage != null)
				.mapToLong(usage -> usage.getUsed())
				.sum();
			heapPeak.accumulateAndGet(used, Math::max);
			livePeak.accumulateAndGet(live, Math::max);
			sleep(10);
		}
	}

	private static void report() {
		while (true) {
			System.out.println("FLATMEM heap-peak=" + heapPeak.get() + " live-peak=" + livePeak.get());
			sleep(1000);
		}
	}

	private static void daemon(Runnable task) {
		Thread thread = new Thread(task, "flat-memory");
		thread.setDaemon(true);
		thread.start();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Accepts every batch at once and keeps nothing: the measurement is of the api-service's own heap. */
	private static final class DroppingBatchPublisher implements BatchPublisher {

		@Override
		public Mono<Void> publish(BatchSubmitted batch, List<IngestImage> jobs) {
			return Mono.empty();
		}

		@Override
		public Mono<Publication> publishWithNewAsset(String tenant, LongFunction<Publication> batchFor) {
			return Mono.fromSupplier(() -> batchFor.apply(assetIds.incrementAndGet()));
		}

		private final AtomicLong assetIds = new AtomicLong();

	}

}
