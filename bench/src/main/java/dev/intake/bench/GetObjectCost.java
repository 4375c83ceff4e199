package dev.intake.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import dev.intake.platform.observe.S3Metrics;
import dev.intake.platform.s3.IntakeS3Properties;
import dev.intake.platform.s3.S3ClientsConfiguration;
import dev.intake.testsupport.S3ProxyFixture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * CPU of the calling thread per S3 GetObject of a 200 KB object (BENCHMARKS.md, "CPU of the
 * worker's GET"): S3Proxy in this JVM, one client per variant, all variants warmed up and then
 * measured in interleaved rounds, so a busy machine weighs on each alike. Variants: a default
 * client, the client exactly as the services build it
 * ({@link S3ClientsConfiguration#syncClientBuilder}) read as the worker reads an upload (64 KiB
 * reads, MD5 and SHA-256, written to a file), and that client with one of its settings undone at
 * a time. Run with {@code -Pbench -Dbench.main=dev.intake.bench.GetObjectCost}; arguments
 * {@code count=N} (measured GETs per variant and round, default 200), {@code rounds=N} (5),
 * {@code warmup=N} (GETs per variant before measuring, 1500), {@code threads=N} (callers at once, 1);
 * or {@code cold=N}: only the services' client read as the worker, its first N GETs in a fresh JVM,
 * in ranges of their sequence number (what a process pays before the JIT compiler has compiled the
 * SDK's code).
 */
public final class GetObjectCost {

	private static final int OBJECT_BYTES = 200 * 1024;

	private static final int OBJECTS = 16;

	private static final String BUCKET = "intake";

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	/** How a variant reads the body. */
	enum Read {

		/** 64 KiB reads, the bytes dropped. */
		DRAIN,
		/** As the worker: 64 KiB reads, MD5 and SHA-256 of every byte, written to a file. */
		WORKER,
		/** As the worker, without the file: MD5 and SHA-256 only. */
		DIGESTS,
		/** As the worker, without the digests: written to a file only. */
		FILE

	}

	record Variant(String name, S3Client client, Read read) {
	}

	/** One variant's samples: CPU µs and allocated KB per GET. */
	record Samples(Stats cpuMicros, Stats allocatedKb) {
		Samples() {
			this(new Stats(), new Stats());
		}
	}

	public static void main(String[] args) {
		try {
			run(args);
			System.exit(0);
		}
		catch (Exception | Error ex) {
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private static void run(String[] args) throws Exception {
		int count = argument(args, "count", 200);
		int rounds = argument(args, "rounds", 5);
		int warmup = argument(args, "warmup", 1500);
		int threads = argument(args, "threads", 1);
		String loadAtStart = Files.readString(Path.of("/proc/loadavg")).trim();
		Path workDir = Files.createTempDirectory("get-object-cost");
		try (S3ProxyFixture s3 = S3ProxyFixture.start().withBucket(BUCKET)) {
			Random random = new Random(42);
			for (int i = 0; i < OBJECTS; i++) {
				byte[] bytes = new byte[OBJECT_BYTES];
				random.nextBytes(bytes);
				s3.put(BUCKET, key(i), bytes);
			}
			MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
			IntakeS3Properties props = new IntakeS3Properties(s3.endpoint(), "us-east-1", BUCKET,
					S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY, true, false, 64, Duration.ofSeconds(30),
					Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(20));
			int cold = argument(args, "cold", 0);
			if (cold > 0) {
				try (S3Client client = S3ClientsConfiguration.syncClientBuilder(props, registry).build()) {
					cold(new Variant("(b) services' client, read as the worker", client, Read.WORKER), cold, workDir,
							loadAtStart);
				}
				return;
			}
			List<Variant> variants = variants(s3.endpoint(), props, registry);
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			try {
				for (Variant variant : variants) {
					measure(variant, warmup, threads, pool, workDir, new Samples());
				}
				List<Samples> samples = new ArrayList<>();
				variants.forEach(variant -> samples.add(new Samples()));
				for (int round = 0; round < rounds; round++) {
					for (int i = 0; i < variants.size(); i++) {
						// rotate the order each round, so no variant always follows the same one
						int index = (i + round) % variants.size();
						measure(variants.get(index), count, threads, pool, workDir, samples.get(index));
					}
				}
				String loadAtEnd = Files.readString(Path.of("/proc/loadavg")).trim();
				StringBuilder table = new StringBuilder();
				table.append(String.format(Locale.ROOT,
						"%n## CPU per GetObject of a %d-byte object (S3Proxy in-process)%n%n"
								+ "%d cores visible, Java %s; %d rounds × %d GETs per variant after %d warm-up GETs, "
								+ "%d caller thread(s); load average at start %s, at end %s%n%n",
						OBJECT_BYTES, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
						rounds, count, warmup, threads, loadAtStart, loadAtEnd));
				table.append("| Variant | CPU µs per GET, median | p10 | p90 | allocated KB per GET, median |\n"
						+ "|---|---|---|---|---|\n");
				for (int i = 0; i < variants.size(); i++) {
					Samples s = samples.get(i);
					table.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f |%n", variants.get(i).name(),
							s.cpuMicros().median(), s.cpuMicros().percentile(10), s.cpuMicros().percentile(90),
							s.allocatedKb().median()));
				}
				System.out.println(table);
			}
			finally {
				pool.shutdownNow();
				variants.forEach(variant -> variant.client().close());
			}
		}
	}

	/**
	 * The first {@code gets} GETs of a fresh JVM, one after another, in ranges of their sequence
	 * number: what a process pays while the JIT compiler has not yet compiled the SDK's code.
	 */
	private static void cold(Variant variant, int gets, Path workDir, String loadAtStart) throws IOException {
		int[] bounds = { 0, 20, 100, 200, 500, 1000, 1800, 3000, 5000, 8000, 12000, 20000, 40000 };
		List<Stats> ranges = new ArrayList<>();
		for (int i = 0; i + 1 < bounds.length; i++) {
			ranges.add(new Stats());
		}
		Path file = workDir.resolve("get-cold");
		double firstBenchPhase = 0;
		var compilation = ManagementFactory.getCompilationMXBean();
		// null with -Xint
		long compileMsBefore = (compilation != null) ? compilation.getTotalCompilationTime() : 0;
		StringBuilder table = new StringBuilder();
		table.append(String.format(Locale.ROOT,
				"%n## CPU per GetObject of a %d-byte object from a cold JVM: %s%n%n"
						+ "%d cores visible, Java %s; load average at start %s%n%n",
				OBJECT_BYTES, variant.name(), Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.version"), loadAtStart));
		table.append("| GETs (sequence numbers) | CPU µs per GET, median | mean | p90 | JIT compilation so far, s |\n"
				+ "|---|---|---|---|---|\n");
		int range = 0;
		for (int i = 0; i < gets && range < ranges.size(); i++) {
			long cpu = THREADS.getCurrentThreadCpuTime();
			get(variant, key(i % OBJECTS), file);
			double micros = (THREADS.getCurrentThreadCpuTime() - cpu) / 1000.0;
			ranges.get(range).add(micros);
			if (i < 1800) {
				firstBenchPhase += micros;
			}
			if (i + 1 == bounds[range + 1] || i + 1 == gets) {
				Stats done = ranges.get(range);
				table.append(String.format(Locale.ROOT, "| %d–%d | %.0f | %.0f | %.0f | %.1f |%n", bounds[range] + 1, i + 1,
						done.median(), done.mean(), done.percentile(90),
						(compilation != null) ? (compilation.getTotalCompilationTime() - compileMsBefore) / 1000.0 : 0.0));
				range++;
			}
		}
		table.append(String.format(Locale.ROOT, "%nMean of the first %d GETs: %.0f µs; load average at end %s%n",
				Math.min(gets, 1800), firstBenchPhase / Math.min(gets, 1800),
				Files.readString(Path.of("/proc/loadavg")).trim()));
		System.out.println(table);
	}

	private static List<Variant> variants(URI endpoint, IntakeS3Properties props, MeterRegistry registry) {
		Function<S3ClientBuilder, S3Client> build = S3ClientBuilder::build;
		List<Variant> variants = new ArrayList<>();
		variants.add(new Variant("(a) default client, drained", plain(endpoint), Read.DRAIN));
		variants.add(new Variant("(a) default client, read as the worker", plain(endpoint), Read.WORKER));
		variants.add(new Variant("(b) services' client, read as the worker",
				build.apply(S3ClientsConfiguration.syncClientBuilder(props, registry)), Read.WORKER));
		variants.add(new Variant("(b) services' client, drained",
				build.apply(S3ClientsConfiguration.syncClientBuilder(props, registry)), Read.DRAIN));
		variants.add(new Variant("(b) services' client, MD5 and SHA-256 only (no file)",
				build.apply(S3ClientsConfiguration.syncClientBuilder(props, registry)), Read.DIGESTS));
		variants.add(new Variant("(b) services' client, written to a file only (no digests)",
				build.apply(S3ClientsConfiguration.syncClientBuilder(props, registry)), Read.FILE));
		variants.add(new Variant("(c) without the S3Metrics interceptor, drained",
				build.apply(S3ClientsConfiguration.syncClientBuilder(props, null)), Read.DRAIN));
		variants.add(new Variant("(c) without the API-call timeout (and its scheduler), drained",
				build.apply(S3ClientsConfiguration.syncClientBuilder(props, registry)
					.overrideConfiguration(ClientOverrideConfiguration.builder()
						.addExecutionInterceptor(new S3Metrics(registry))
						.build())),
				Read.DRAIN));
		variants.add(new Variant("(c) SDK default checksums (WHEN_SUPPORTED), drained",
				build.apply(S3ClientsConfiguration.syncClientBuilder(props, registry)
					.requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
					.responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)),
				Read.DRAIN));
		variants.add(new Variant("(c) SDK default Apache client settings, drained",
				build.apply(S3ClientsConfiguration.syncClientBuilder(props, registry)
					.httpClientBuilder(ApacheHttpClient.builder())),
				Read.DRAIN));
		return variants;
	}

	private static S3Client plain(URI endpoint) {
		return S3Client.builder()
			.endpointOverride(endpoint)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider
				.create(AwsBasicCredentials.create(S3ProxyFixture.ACCESS_KEY, S3ProxyFixture.SECRET_KEY)))
			.serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
			.build();
	}

	private static void measure(Variant variant, int gets, int threads, ExecutorService pool, Path workDir,
			Samples samples) throws Exception {
		List<Future<Samples>> futures = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int caller = t;
			int share = gets / threads + ((t < gets % threads) ? 1 : 0);
			futures.add(pool.submit(() -> {
				Samples own = new Samples();
				Path file = workDir.resolve("get-" + caller);
				for (int i = 0; i < share; i++) {
					long cpu = THREADS.getCurrentThreadCpuTime();
					long allocated = THREADS.getCurrentThreadAllocatedBytes();
					get(variant, key((caller * 7 + i) % OBJECTS), file);
					own.cpuMicros().add((THREADS.getCurrentThreadCpuTime() - cpu) / 1000.0);
					own.allocatedKb().add((THREADS.getCurrentThreadAllocatedBytes() - allocated) / 1024.0);
				}
				return own;
			}));
		}
		for (Future<Samples> future : futures) {
			Samples own = future.get();
			samples.cpuMicros().addAll(own.cpuMicros());
			samples.allocatedKb().addAll(own.allocatedKb());
		}
	}

	private static void get(Variant variant, String key, Path file) throws IOException {
		try (InputStream in = variant.client().getObject(b -> b.bucket(BUCKET).key(key))) {
			long size = switch (variant.read()) {
				case DRAIN -> drain(in);
				case WORKER -> readAsTheWorker(in, file, true, true);
				case DIGESTS -> readAsTheWorker(in, file, true, false);
				case FILE -> readAsTheWorker(in, file, false, true);
			};
			if (size != OBJECT_BYTES) {
				throw new IllegalStateException("read " + size + " bytes of " + key);
			}
		}
	}

	private static long drain(InputStream in) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		long size = 0;
		for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
			size += n;
		}
		return size;
	}

	/** The worker's copy of an upload (ImageStore.download with DigestingCopy): same reads, digests, file. */
	private static long readAsTheWorker(InputStream in, Path file, boolean digests, boolean write) throws IOException {
		try {
			MessageDigest md5 = MessageDigest.getInstance("MD5");
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			byte[] buffer = new byte[64 * 1024];
			long size = 0;
			try (OutputStream out = write ? Files.newOutputStream(file) : OutputStream.nullOutputStream()) {
				for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
					size += n;
					if (digests) {
						md5.update(buffer, 0, n);
						sha256.update(buffer, 0, n);
					}
					out.write(buffer, 0, n);
				}
			}
			HexFormat hex = HexFormat.of();
			if (hex.formatHex(md5.digest()).isEmpty() || hex.formatHex(sha256.digest()).isEmpty()) {
				throw new IllegalStateException("no digest");
			}
			return size;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String key(int i) {
		return "uploads/bench/object-" + i;
	}

	private static int argument(String[] args, String name, int fallback) {
		for (String arg : args) {
			if (arg.startsWith(name + "=")) {
				return Integer.parseInt(arg.substring(name.length() + 1));
			}
		}
		return fallback;
	}

}
