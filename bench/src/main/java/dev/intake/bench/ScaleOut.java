package dev.intake.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import dev.intake.testsupport.TestImages;

/**
 * Whether workers scale out: broker and S3 (one process), status, api, then 1, 2 and 4 worker
 * processes ({@code INTAKE_PART=worker}, each with its own management port) added one step at a
 * time, each step given 1,000 URL items from a loopback origin that answers every request after
 * 100 ms, so the work waits on the origin rather than on the 2 cores. Reports images/s per step,
 * the ratios 2 : 1 and 4 : 1, which consumers hold {@code intake.jobs} partitions (the consumer
 * group's assignment: the partition count caps how many job threads work at once), and the
 * CPU-seconds per image of each process from {@code /proc/<pid>/stat}. Renditions off.
 * <p>
 * {@code -Pbench -Dbench.main=dev.intake.bench.ScaleOut -Dbench.args="…"}: {@code workers=1,2,4},
 * {@code items=1000}, {@code latency=100} (ms), {@code reps=2}, {@code bytes=20000} (size of
 * the origin's JPEGs), and any {@code --setting=value} given to every process (e.g.
 * {@code --intake.topics.job-partitions=48} on a fresh broker).
 */
public final class ScaleOut {

	private static final String JOBS = "intake.jobs";

	private ScaleOut() {
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
		Map<String, String> options = new LinkedHashMap<>(Map.of("workers", "1,2,4", "items", "1000", "latency", "100",
				"reps", "2", "bytes", "20000"));
		List<String> settings = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith("--")) {
				settings.add(arg);
			}
			else if (arg.contains("=")) {
				options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
			}
		}
		List<Integer> steps = List.of(options.get("workers").split(",")).stream().map(String::trim)
			.map(Integer::valueOf).toList();
		int items = Integer.parseInt(options.get("items"));
		int latency = Integer.parseInt(options.get("latency"));
		int reps = Integer.parseInt(options.get("reps"));
		Path workDir = Files.createDirectories(Path.of("scale-out-" + Instant.now().toEpochMilli()).toAbsolutePath());
		String loadStart = Files.readString(Path.of("/proc/loadavg")).trim();
		List<byte[]> images = TestImages.noisyJpegs(50, Integer.parseInt(options.get("bytes")), 4);
		StringBuilder table = new StringBuilder();
		Map<Integer, Stats> rates = new TreeMap<>();
		List<String> cpuRows = new ArrayList<>();
		List<String> assignmentRows = new ArrayList<>();
		int[] ports = IntakeProcess.freePorts(6);
		String token = UUID.randomUUID().toString();
		List<IntakeProcess> services = new ArrayList<>();
		List<IntakeProcess> workers = new ArrayList<>();
		try (SlowOrigin origin = new SlowOrigin(images, latency)) {
			List<String> overrides = new ArrayList<>(List.of("--intake.worker.renditions.profiles.default=",
					"--intake.worker.fetch.allow-loopback=true",
					"--intake.worker.fetch.allowed-ports=80,443," + origin.port()));
			overrides.addAll(settings);
			for (String part : List.of("backends", "status", "api")) {
				services.add(IntakeProcess.startPart(workDir, part, ports, token, List.of(), overrides));
			}
			IntakeProcess api = services.get(2);
			BenchClient client = new BenchClient(api.baseUrl());
			int counter = 0;
			for (int step : steps) {
				while (workers.size() < step) {
					int n = workers.size() + 1;
					workers.add(IntakeProcess.startPart(workDir, "worker", "worker-" + n,
							Map.of("INTAKE_WORKER_PORT", String.valueOf(IntakeProcess.freePorts(1)[0])), ports, token,
							List.of(), concat(overrides, List.of("--spring.kafka.client-id=scale-worker-" + n))));
				}
				// a warm-up batch also waits out the rebalance the new workers caused
				runItems(client, origin, "scale-" + step + "-warm-up", 100, counter);
				counter += 100;
				assignmentRows.add(String.format(Locale.ROOT, "| %d | %s |", step, assignment(api.kafkaPort)));
				Stats rate = new Stats();
				Map<String, Double> cpu = new LinkedHashMap<>();
				for (int rep = 0; rep < reps; rep++) {
					Map<String, Double> before = cpu(services, workers);
					double seconds = runItems(client, origin, "scale-" + step + "-" + rep, items, counter);
					counter += items;
					Map<String, Double> after = cpu(services, workers);
					after.forEach((name, value) -> cpu.merge(name, value - before.get(name), Double::sum));
					rate.add(items / seconds);
					System.out.printf(Locale.ROOT, "%s %d worker(s), rep %d: %d items in %.2f s (%.1f images/s)%n",
							LocalTime.now(), step, rep, items, seconds, items / seconds);
				}
				rates.put(step, rate);
				double done = (double) items * reps;
				StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d |", step));
				double workerCpu = 0;
				for (Map.Entry<String, Double> entry : cpu.entrySet()) {
					if (entry.getKey().startsWith("worker")) {
						workerCpu += entry.getValue();
					}
				}
				row.append(String.format(Locale.ROOT, " %.4f | %.4f | %.4f | %.4f |", cpu.get("backends") / done,
						cpu.get("status") / done, cpu.get("api") / done, workerCpu / done));
				cpuRows.add(row.toString());
			}
		}
		finally {
			for (int i = workers.size() - 1; i >= 0; i--) {
				workers.get(i).close();
			}
			for (int i = services.size() - 1; i >= 0; i--) {
				services.get(i).close();
			}
		}
		table.append(String.format(Locale.ROOT,
				"%n## Scale-out: %d URL items, origin adds %d ms a request, renditions off%n%n", items, latency));
		table.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs; load average at the start ")
			.append(loadStart).append(", at the end ").append(Files.readString(Path.of("/proc/loadavg")).trim())
			.append("\n\n| Worker processes | images/s median (min–max) | × one worker | runs |\n|---|---|---|---|\n");
		double one = rates.containsKey(1) ? rates.get(1).median() : Double.NaN;
		rates.forEach((step, rate) -> table.append(String.format(Locale.ROOT, "| %d | %s | **%.2f** | %d |%n", step,
				rate.spread("%.1f"), rate.median() / one, rate.count())));
		table.append("\n| Worker processes | CPU-s per image: broker + S3Proxy | status | api | workers (all) |\n|---|---|---|---|---|\n");
		cpuRows.forEach(row -> table.append(row).append('\n'));
		table.append("\n| Worker processes | `" + JOBS + "` partitions per consumer (client id: partitions) |\n|---|---|\n");
		assignmentRows.forEach(row -> table.append(row).append('\n'));
		System.out.println(table);
		Files.writeString(workDir.resolve("results.md"), table);
		System.out.println("(also in " + workDir.resolve("results.md") + "; logs of each process beside it)");
	}

	private static double runItems(BenchClient client, SlowOrigin origin, String label, int items, int first)
			throws Exception {
		List<BenchClient.Submit> submits = new ArrayList<>();
		for (int from = 0; from < items; from += 300) {
			List<String> urls = new ArrayList<>();
			for (int i = from; i < Math.min(items, from + 300); i++) {
				urls.add(origin.url("slow", first + i));
			}
			submits.add(client.urls(label + "-" + from, urls));
		}
		return BatchRun.run(client, submits, null).seconds;
	}

	private static Map<String, Double> cpu(List<IntakeProcess> services, List<IntakeProcess> workers)
			throws Exception {
		Map<String, Double> cpu = new LinkedHashMap<>();
		List<String> names = List.of("backends", "status", "api");
		for (int i = 0; i < services.size(); i++) {
			cpu.put(names.get(i), services.get(i).cpuSeconds());
		}
		for (int i = 0; i < workers.size(); i++) {
			cpu.put("worker-" + (i + 1), workers.get(i).cpuSeconds());
		}
		return cpu;
	}

	/**
	 * The partitions of {@code intake.jobs} each member of the consumer groups reading it holds,
	 * by client id; with a share group (no partitions assigned to members) it says so.
	 */
	private static String assignment(int kafkaPort) {
		Properties config = new Properties();
		config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
		try (Admin admin = Admin.create(config)) {
			List<String> groups = admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId)
				.toList();
			Map<String, Integer> byClient = new TreeMap<>();
			for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups).all().get().values()) {
				for (MemberDescription member : group.members()) {
					long jobs = member.assignment().topicPartitions().stream().map(TopicPartition::topic)
						.filter(JOBS::equals).count();
					if (jobs > 0) {
						String client = member.clientId().replaceAll("-\\d+$", "");
						byClient.merge(client, (int) jobs, Integer::sum);
					}
				}
			}
			int partitions = admin.describeTopics(List.of(JOBS)).allTopicNames().get().get(JOBS).partitions().size();
			return partitions + " partitions; " + (byClient.isEmpty()
					? "no consumer-group member holds any (a share group, or not assigned yet)" : byClient.toString());
		}
		catch (Exception ex) {
			return "not known: " + ex;
		}
	}

	private static <T> List<T> concat(List<T> a, List<T> b) {
		List<T> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}

}
