package dev.intake.bench.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import dev.intake.testsupport.MemoryProofImages;
import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.PixelLimit;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.imaging.rendition.RenditionSpec;
import dev.intake.worker.ingest.inspect.ImageInspector;
import dev.intake.worker.ingest.inspect.Inspection;

/**
 * Diagnostics for the memory proof: {@code write DIR} stores every bomb of
 * {@link MemoryProofImages#bombs()} in DIR (needs a large heap: the complete
 * bombs are drawn in memory); {@code probe DIR} runs each file of DIR alone through the inspector
 * and prints its outcome and the heap peak, to find which one a small heap cannot take. Run it
 * through {@code bench/scripts/bomb-probe.sh}.
 */
public final class BombProbe {

	private BombProbe() {
	}

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(args[1]);
		if (args[0].equals("write")) {
			Files.createDirectories(dir);
			for (var bomb : MemoryProofImages.bombs()) {
				Files.write(dir.resolve(bomb.name()), bomb.bytes());
			}
			return;
		}
		DecodePool pool = new DecodePool(1, Duration.ofSeconds(60));
		ImageInspector inspector = new ImageInspector(new DimensionReader(), new PixelLimit(50_000_000, 16384), 500,
				pool, new RenditionMaker(0.8f), List.of(new RenditionSpec("thumb", 256), new RenditionSpec("preview", 1024)));
		for (Path file : Files.list(dir).sorted().toList()) {
			System.gc();
			List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
			pools.forEach(MemoryPoolMXBean::resetPeakUsage);
			String outcome;
			try {
				Inspection v = inspector.inspect(new IngestImage("a", "b", "a/b/0", 0, "x", new ItemSource.Staged(null, "x"), 1), file, Instant.now());
				outcome = (v instanceof Inspection.Refused r) ? r.failure().code() : "ACCEPTED";
			}
			catch (Throwable t) {
				outcome = "THREW " + t;
			}
			long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
			System.out.printf("%-40s %-20s peak %d MB%n", file.getFileName(), outcome, peak >> 20);
		}
		pool.close();
	}

}
