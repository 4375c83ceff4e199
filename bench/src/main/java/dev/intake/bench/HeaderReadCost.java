package dev.intake.bench;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;

import dev.intake.contracts.ImageFormat;
import dev.intake.testsupport.TestImages;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.Orientation;

/**
 * CPU of the calling thread for what the worker's decode pool does with an image when its profile
 * has no renditions (BENCHMARKS.md, "CPU of the worker's jobs"): the header read
 * ({@link DimensionReader#header}) and the orientation read ({@link Orientation#read}) of the main
 * benchmark's 200 KB JPEGs, against the same two reads done the way they were before: the reader
 * found through {@code ImageIO.getImageReadersByFormatName} (which filters every registered
 * provider by reflection) on each call, and every metadata segment of the file parsed for the
 * orientation. Both warmed up, then measured in interleaved rounds. Run with
 * {@code -Pbench -Dbench.main=dev.intake.bench.HeaderReadCost}; arguments {@code count=N} (reads
 * per variant and round, default 1000), {@code rounds=N} (5), {@code warmup=N} (3000).
 */
public final class HeaderReadCost {

	private HeaderReadCost() {
	}

	public static void main(String[] args) throws Exception {
		int count = option(args, "count", 1000);
		int rounds = option(args, "rounds", 5);
		int warmup = option(args, "warmup", 3000);
		List<byte[]> images = TestImages.noisyJpegs(300, 200_000, 1).subList(0, 16);
		Path dir = Files.createTempDirectory("header-read-cost");
		Path[] files = new Path[images.size()];
		for (int i = 0; i < files.length; i++) {
			files[i] = Files.write(dir.resolve(i + ".jpg"), images.get(i));
		}
		DimensionReader dimensions = new DimensionReader();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long sink = 0;
		for (int i = 0; i < warmup; i++) {
			sink += now(dimensions, files[i % files.length]) + before(files[i % files.length]);
		}
		System.out.printf(Locale.ROOT, "%d JPEGs of %d–%d bytes; CPU µs per image%n", files.length,
				images.stream().mapToInt(b -> b.length).min().orElse(0),
				images.stream().mapToInt(b -> b.length).max().orElse(0));
		for (int round = 0; round < rounds; round++) {
			long start = threads.getCurrentThreadCpuTime();
			for (int i = 0; i < count; i++) {
				sink += before(files[i % files.length]);
			}
			long middle = threads.getCurrentThreadCpuTime();
			for (int i = 0; i < count; i++) {
				sink += now(dimensions, files[i % files.length]);
			}
			long end = threads.getCurrentThreadCpuTime();
			System.out.printf(Locale.ROOT, "round %d: before %.1f, now %.1f%n", round,
					(middle - start) / 1e3 / count, (end - middle) / 1e3 / count);
		}
		System.out.println("(checksum " + sink + ")");
	}

	/** The header and orientation reads as the worker makes them. */
	private static long now(DimensionReader dimensions, Path file) throws Exception {
		long width = dimensions.header(file, ImageFormat.JPEG, 1, stream -> {
		}).size().width();
		return width + Orientation.read(file, ImageFormat.JPEG);
	}

	/** The same reads with a registry look-up per call and every metadata segment parsed. */
	private static long before(Path file) throws Exception {
		if (!ImageIO.getImageReadersByFormatName("jpeg").hasNext()) {
			throw new IllegalStateException("no JPEG reader");
		}
		long width;
		try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
			Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
			ImageReader reader = null;
			while (reader == null && readers.hasNext()) {
				ImageReader candidate = readers.next();
				if (candidate.getOriginatingProvider().canDecodeInput(in)) {
					reader = candidate;
				}
			}
			if (reader == null) {
				throw new IllegalStateException("no JPEG reader accepts the header");
			}
			try {
				reader.setInput(in, true, true);
				width = reader.getWidth(0);
			}
			finally {
				reader.dispose();
			}
		}
		try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
			Metadata metadata = ImageMetadataReader.readMetadata(in, Files.size(file));
			return width + metadata.getDirectoriesOfType(ExifIFD0Directory.class).size();
		}
	}

	private static int option(String[] args, String name, int otherwise) {
		for (String arg : args) {
			if (arg.startsWith(name + "=")) {
				return Integer.parseInt(arg.substring(name.length() + 1));
			}
		}
		return otherwise;
	}

}
