package dev.intake.cli.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import dev.intake.cli.CliException;
import dev.intake.cli.Exit;

/**
 * What an upload sends: the files (named on the command line, or found in folders, recursively,
 * by image or ZIP extension), each counted as the images the server will count for it (a ZIP: its
 * file entries, read from its central directory), split in order into batches of at most
 * {@code batchSize} images. A part larger than the limit on its own gets a batch of its own (the
 * server then refuses that batch with its message).
 */
record UploadPlan(List<Batch> batches, List<Path> skipped) {

	static final int MAX_BATCH = 300;

	static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico",
			"tif", "tiff");

	/** One file part: where it is, its size when planned, the images it counts for, its image name. */
	record Part(Path path, long size, long modified, int images, String imageName) {

		String filename() {
			return path.getFileName().toString();
		}

	}

	/** The parts of one submit and the batch id asked for (null: the server chooses). */
	record Batch(int number, String batchId, List<Part> parts) {

		int images() {
			return parts.stream().mapToInt(Part::images).sum();
		}

		long bytes() {
			return parts.stream().mapToLong(Part::size).sum();
		}

	}

	static UploadPlan of(List<Path> paths, List<String> names, String batchId, int batchSize) throws IOException {
		if (batchSize < 1 || batchSize > MAX_BATCH) {
			throw new CliException(Exit.USAGE, "--batch-size must be 1 to " + MAX_BATCH);
		}
		List<Path> files = new ArrayList<>();
		List<Path> skipped = new ArrayList<>();
		for (Path path : paths) {
			if (Files.isDirectory(path)) {
				collect(path, files, skipped);
			}
			else if (Files.isRegularFile(path)) {
				files.add(path);
			}
			else {
				throw new CliException(Exit.USAGE, "No such file or folder: " + path);
			}
		}
		if (files.isEmpty()) {
			throw new CliException(Exit.USAGE, "Nothing to upload: no image or ZIP files in " + paths);
		}
		if (names != null && !names.isEmpty() && names.size() != files.size()) {
			throw new CliException(Exit.USAGE, "--names has " + names.size() + " names for " + files.size()
					+ " files; give one per file, in order");
		}
		List<Part> parts = new ArrayList<>();
		for (int i = 0; i < files.size(); i++) {
			Path file = files.get(i);
			parts.add(new Part(file.toAbsolutePath().normalize(), Files.size(file),
					Files.getLastModifiedTime(file).toMillis(), imagesIn(file),
					names == null || names.isEmpty() ? null : names.get(i)));
		}
		return new UploadPlan(split(parts, batchSize, batchId), skipped);
	}

	static List<Batch> split(List<Part> parts, int batchSize, String batchId) {
		List<List<Part>> groups = new ArrayList<>();
		List<Part> current = new ArrayList<>();
		int images = 0;
		for (Part part : parts) {
			if (!current.isEmpty() && images + part.images() > batchSize) {
				groups.add(current);
				current = new ArrayList<>();
				images = 0;
			}
			current.add(part);
			images += part.images();
		}
		if (!current.isEmpty()) {
			groups.add(current);
		}
		List<Batch> batches = new ArrayList<>();
		for (int i = 0; i < groups.size(); i++) {
			batches.add(new Batch(i + 1, batchIdOf(batchId, i + 1, groups.size()), List.copyOf(groups.get(i))));
		}
		return batches;
	}

	/** The id asked for batch {@code number} of {@code count}: {@code ID} alone, else {@code ID-1} … {@code ID-n}. */
	static String batchIdOf(String batchId, int number, int count) {
		if (batchId == null) {
			return null;
		}
		String id = count == 1 ? batchId : batchId + "-" + number;
		if (!id.matches("[A-Za-z0-9._-]{1,64}") || id.equals(".") || id.equals("..")) {
			throw new CliException(Exit.USAGE, "The batch id '" + id
					+ "' must be 1 to 64 letters, digits, '.', '_' or '-' (with -N added when the upload needs several batches)");
		}
		return id;
	}

	/** The images the server counts for a file: a ZIP's file entries, else 1. */
	static int imagesIn(Path file) {
		if (!"zip".equals(extension(file))) {
			return 1;
		}
		try (ZipFile zip = new ZipFile(file.toFile())) {
			int count = 0;
			for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements();) {
				if (!entries.nextElement().isDirectory()) {
					count++;
				}
			}
			return Math.max(count, 1);
		}
		catch (IOException ex) {
			return 1; // unreadable here: the server says what is wrong with it
		}
	}

	/** A stable digest of what this upload sends and where: the same command on the same files resumes. */
	String fingerprint(String baseUrl) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update((baseUrl + "\n").getBytes(StandardCharsets.UTF_8));
			for (Batch batch : batches) {
				digest.update(("batch " + batch.batchId() + "\n").getBytes(StandardCharsets.UTF_8));
				for (Part part : batch.parts()) {
					digest.update((part.path() + "\t" + part.size() + "\t" + part.modified() + "\t" + part.imageName()
							+ "\n").getBytes(StandardCharsets.UTF_8));
				}
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void collect(Path folder, List<Path> files, List<Path> skipped) throws IOException {
		try (Stream<Path> tree = Files.walk(folder)) {
			tree.filter(Files::isRegularFile).sorted().forEach(file -> {
				String name = file.getFileName().toString();
				String ext = extension(file);
				if (!name.startsWith(".") && (IMAGE_EXTENSIONS.contains(ext) || "zip".equals(ext))) {
					files.add(file);
				}
				else {
					skipped.add(file);
				}
			});
		}
	}

	static String extension(Path file) {
		String name = file.getFileName().toString();
		int dot = name.lastIndexOf('.');
		return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
	}

}
