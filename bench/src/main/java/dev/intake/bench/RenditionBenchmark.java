package dev.intake.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.intake.contracts.ImageFormat;
import dev.intake.testsupport.TestImages;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.Dimensions;
import dev.intake.worker.imaging.ImageHeader;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.imaging.rendition.RenditionSpec;

/**
 * The renditions path against {@code vipsthumbnail} on the same JPEGs, per core: each engine
 * makes the default profile's renditions ({@code thumb:256}, {@code preview:1024}, JPEG quality
 * 80, never upscaled) of every image on one thread, and is charged the CPU time of its whole
 * process (the JVM's: GC and compiler threads included; vipsthumbnail's from the waiting shell's
 * {@code cutime + cstime}). Three engines side by side in one invocation, in rotating order: the
 * worker's {@link RenditionMaker}, the same steps as they were before ({@link RenditionsAsBefore})
 * and {@code vipsthumbnail} with {@code VIPS_CONCURRENCY=1}, one process per rendition size given every image (its start-up
 * CPU taken off), found on the path or installed with
 * apt-get ({@code libvips-tools}) when running as root; without it that row is skipped with the
 * reason printed. Run with {@code -Pbench -Dbench.main=dev.intake.bench.RenditionBenchmark}
 * ({@code -Dbench.args=quick}: fewer images, one run).
 */
public final class RenditionBenchmark {

	private static final List<RenditionSpec> SPECS = List.of(new RenditionSpec("thumb", 256),
			new RenditionSpec("preview", 1024));

	private static final float QUALITY = 0.8f;

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private RenditionBenchmark() {
	}

	public static void main(String[] args) {
		try {
			run(List.of(args).contains("quick"));
			System.exit(0);
		}
		catch (Exception | Error ex) {
			ex.printStackTrace();
			System.exit(1);
		}
	}

	/** One set of input files and their sizes. */
	private record ImageSet(String name, List<Path> files, List<Dimensions> sizes) {
	}

	private static void run(boolean quick) throws Exception {
		Path dir = Files.createDirectories(
				Path.of("renditions-run-" + Instant.now().toEpochMilli()).toAbsolutePath());
		String loadStart = Files.readString(Path.of("/proc/loadavg")).trim();
		String vips = Vips.find();
		int runs = quick ? 1 : 3;
		List<ImageSet> sets = List.of(
				// the pictures of the main benchmark (its 300 make them 731×549)
				write(dir, "200 KB noisy JPEGs", TestImages.noisyJpegs(300, 200_000, 1).subList(0, quick ? 20 : 60)),
				write(dir, "9.5 MB noisy JPEGs", TestImages.noisyJpegs(quick ? 2 : 6, 9_500_000, 2)),
				write(dir, "12 MP smooth JPEGs", smoothJpegs(quick ? 2 : 6, 4000, 3000)));
		StringBuilder table = new StringBuilder();
		table.append("\n## Renditions per core: thumb:256 + preview:1024, JPEG q80, one thread each\n\n");
		table.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
			.append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
			.append("; load average at the start ").append(loadStart).append('\n');
		table.append(vips != null ? String.format(Locale.ROOT,
				"vipsthumbnail: %s; its start-up, %.3f CPU-s a process (one per rendition size), is taken off\n",
				Vips.version(vips), Vips.startup(vips)) : "vipsthumbnail: skipped, " + Vips.reason + "\n");
		table.append("\n| Images | Engine | images per CPU-second, median (min–max) | images/s wall | × vipsthumbnail per core | × before | runs |\n");
		table.append("|---|---|---|---|---|---|---|\n");
		RenditionMaker maker = new RenditionMaker(QUALITY);
		RenditionsAsBefore before = new RenditionsAsBefore(QUALITY);
		for (ImageSet set : sets) {
			Map<String, Stats> perCpu = new LinkedHashMap<>();
			Map<String, Stats> wall = new LinkedHashMap<>();
			Map<String, Stats> vsVips = new LinkedHashMap<>();
			Map<String, Stats> vsBefore = new LinkedHashMap<>();
			List<String> engines = new ArrayList<>(List.of("Intake after (RenditionMaker)", "Intake before"));
			if (vips != null) {
				engines.add("vipsthumbnail");
			}
			// warm-up: the JIT compiles the JVM paths, the page cache holds the files
			jvm(set, file -> maker.make(file.path, ImageFormat.JPEG, ImageHeader.still(file.size), 1, SPECS, c -> {
			}));
			jvm(set, file -> before.make(file.path, file.size, SPECS));
			for (int run = 0; run < runs; run++) {
				Map<String, double[]> measured = new LinkedHashMap<>();
				for (int i = 0; i < engines.size(); i++) {
					String engine = engines.get((i + run) % engines.size());
					double[] cpuAndWall = switch (engine) {
						case "vipsthumbnail" -> Vips.run(vips, set, dir.resolve("vips-out"));
						case "Intake before" -> jvm(set, file -> before.make(file.path, file.size, SPECS));
						default -> jvm(set, file -> maker.make(file.path, ImageFormat.JPEG, ImageHeader.still(file.size), 1,
								SPECS, c -> {
								}));
					};
					measured.put(engine, cpuAndWall);
					System.out.printf(Locale.ROOT, "%s %s run %d: %.2f CPU-s, %.2f s wall%n", set.name, engine, run,
							cpuAndWall[0], cpuAndWall[1]);
				}
				int n = set.files.size();
				for (String engine : engines) {
					double[] m = measured.get(engine);
					perCpu.computeIfAbsent(engine, e -> new Stats()).add(n / m[0]);
					wall.computeIfAbsent(engine, e -> new Stats()).add(n / m[1]);
					if (measured.containsKey("vipsthumbnail")) {
						vsVips.computeIfAbsent(engine, e -> new Stats()).add(measured.get("vipsthumbnail")[0] / m[0]);
					}
					vsBefore.computeIfAbsent(engine, e -> new Stats()).add(measured.get("Intake before")[0] / m[0]);
				}
			}
			for (String engine : engines) {
				Stats v = vsVips.get(engine);
				table.append(String.format(Locale.ROOT, "| %d × %s | %s | %s | %s | %s | %s | %d |\n", set.files.size(),
						set.name, engine, perCpu.get(engine).spread("%.1f"), wall.get(engine).spread("%.1f"),
						(v == null) ? "–" : "**" + v.spread("%.2f") + "**", vsBefore.get(engine).spread("%.2f"), runs));
			}
		}
		table.append("\nLoad average at the end: ").append(Files.readString(Path.of("/proc/loadavg")).trim()).append('\n');
		System.out.println(table);
		Files.writeString(dir.resolve("results.md"), table);
		System.out.println("(also in " + dir.resolve("results.md") + ")");
	}

	private record Input(Path path, Dimensions size) {
	}

	@FunctionalInterface
	private interface Engine {

		Object make(Input file) throws Exception;

	}

	/** Runs {@code engine} over the set on this thread: {process CPU seconds, wall seconds}. */
	private static double[] jvm(ImageSet set, Engine engine) throws Exception {
		long cpu = OS.getProcessCpuTime();
		long start = System.nanoTime();
		for (int i = 0; i < set.files.size(); i++) {
			engine.make(new Input(set.files.get(i), set.sizes.get(i)));
		}
		return new double[] { (OS.getProcessCpuTime() - cpu) / 1e9, (System.nanoTime() - start) / 1e9 };
	}

	private static ImageSet write(Path dir, String name, List<byte[]> images) throws Exception {
		Path setDir = Files.createDirectories(dir.resolve("in-" + name.replaceAll("\\W+", "-")));
		List<Path> files = new ArrayList<>();
		List<Dimensions> sizes = new ArrayList<>();
		for (int i = 0; i < images.size(); i++) {
			Path file = Files.write(setDir.resolve(String.format(Locale.ROOT, "image-%03d.jpg", i)), images.get(i));
			files.add(file);
			sizes.add(new DimensionReader().read(file, ImageFormat.JPEG));
		}
		String named = name + " (" + sizes.get(0).width() + "×" + sizes.get(0).height() + ")";
		System.out.println(named + ": " + images.size() + " images");
		return new ImageSet(named, files, sizes);
	}

	/**
	 * Photo-like JPEGs (quality 90): soft gradients, a few discs and a little grain, so that
	 * entropy coding weighs as in a camera picture rather than as in noise.
	 */
	static List<byte[]> smoothJpegs(int count, int width, int height) throws IOException {
		List<byte[]> images = new ArrayList<>();
		java.util.SplittableRandom random = new java.util.SplittableRandom(3);
		for (int n = 0; n < count; n++) {
			java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height,
					java.awt.image.BufferedImage.TYPE_INT_RGB);
			int[] pixels = ((java.awt.image.DataBufferInt) image.getRaster().getDataBuffer()).getData();
			double phase = random.nextDouble() * Math.PI;
			for (int y = 0; y < height; y++) {
				for (int x = 0; x < width; x++) {
					int grain = random.nextInt(9) - 4;
					int r = clamp(128 + (int) (100 * Math.sin(x / 700.0 + phase)) + grain);
					int g = clamp(128 + (int) (90 * Math.cos(y / 500.0 - phase)) + grain);
					int b = clamp((x + y) * 255 / (width + height) + grain);
					pixels[y * width + x] = (r << 16) | (g << 8) | b;
				}
			}
			java.awt.Graphics2D g = image.createGraphics();
			for (int d = 0; d < 12; d++) {
				g.setColor(new java.awt.Color(random.nextInt(0x1000000)));
				int size = 100 + random.nextInt(600);
				g.fillOval(random.nextInt(width), random.nextInt(height), size, size);
			}
			g.dispose();
			javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
			java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
			try (javax.imageio.stream.MemoryCacheImageOutputStream out = new javax.imageio.stream.MemoryCacheImageOutputStream(
					bytes)) {
				javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
				param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
				param.setCompressionQuality(0.9f);
				writer.setOutput(out);
				writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
			}
			finally {
				writer.dispose();
			}
			images.add(bytes.toByteArray());
		}
		return images;
	}

	private static int clamp(int value) {
		return Math.max(0, Math.min(255, value));
	}

	/** vipsthumbnail: found, installed, or skipped with a reason. */
	private static final class Vips {

		static String reason = "";

		static String find() throws Exception {
			String found = onPath();
			if (found != null) {
				return found;
			}
			boolean root = "0".equals(output(List.of("id", "-u")).trim());
			if (!root) {
				reason = "not on the PATH and not root, so not installed (apt-get install libvips-tools)";
				return null;
			}
			if (onPathOf("apt-get") == null) {
				reason = "not on the PATH and no apt-get to install libvips-tools";
				return null;
			}
			System.out.println("Installing libvips-tools with apt-get…");
			exec(List.of("apt-get", "update", "-q"));
			int rc = exec(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "libvips-tools"));
			found = onPath();
			if (found == null) {
				reason = "apt-get install libvips-tools ended with " + rc + " and no vipsthumbnail";
			}
			return found;
		}

		static String version(String vips) throws Exception {
			return output(List.of(vips, "--vips-version")).trim() + " (" + vips + ")";
		}

		/** Both renditions of every file, one process per size: {CPU seconds, wall seconds}. */
		static double[] run(String vips, ImageSet set, Path out) throws Exception {
			Files.createDirectories(out);
			double cpu = 0;
			long start = System.nanoTime();
			for (RenditionSpec spec : SPECS) {
				int edge = spec.longEdge();
				StringBuilder command = new StringBuilder("'" + vips + "' -s '" + edge + "x" + edge + ">' -o '" + out
						+ "/%s-" + spec.name() + ".jpg[Q=80,strip]'");
				for (Path file : set.files) {
					command.append(" '").append(file).append('\'');
				}
				cpu += childCpu("VIPS_CONCURRENCY=1 " + command) - startup(vips);
			}
			return new double[] { cpu, (System.nanoTime() - start) / 1e9 };
		}

		private static double startup = -1;

		/**
		 * CPU seconds of starting vipsthumbnail and ending it without an image (median of five
		 * {@code --vips-version} runs): taken off each run, since the JVM's start-up is not counted
		 * either.
		 */
		static double startup(String vips) throws Exception {
			if (startup < 0) {
				Stats runs = new Stats();
				for (int i = 0; i < 5; i++) {
					runs.add(childCpu("VIPS_CONCURRENCY=1 '" + vips + "' --vips-version > /dev/null"));
				}
				startup = runs.median();
			}
			return startup;
		}

		/** CPU seconds (user + system) of a shell command's children. */
		private static double childCpu(String command) throws Exception {
			// the shell's own stat, after it waited for the command: fields 16 and 17 are the user
			// and system time of its waited-for children, in clock ticks
			String stat = output(List.of("sh", "-c", command + " && cat /proc/$$/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
			return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / ticksPerSecond();
		}

		private static double ticks = 0;

		private static double ticksPerSecond() throws Exception {
			if (ticks == 0) {
				ticks = Double.parseDouble(output(List.of("getconf", "CLK_TCK")).trim());
			}
			return ticks;
		}

		private static String onPath() {
			return onPathOf("vipsthumbnail");
		}

		private static String onPathOf(String name) {
			for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
				Path candidate = Path.of(entry, name);
				if (Files.isExecutable(candidate)) {
					return candidate.toString();
				}
			}
			return null;
		}

		private static String output(List<String> command) throws IOException, InterruptedException {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String text = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IOException(command.get(0) + " failed: " + text);
			}
			return text;
		}

		private static int exec(List<String> command) throws IOException, InterruptedException {
			return new ProcessBuilder(command).inheritIO().start().waitFor();
		}

	}

}
