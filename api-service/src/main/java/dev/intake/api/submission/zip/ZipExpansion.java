package dev.intake.api.submission.zip;

import dev.intake.api.submission.upload.StagedFile;
import dev.intake.api.submission.upload.UploadMessages;

import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ImageFormat;
import org.apache.commons.compress.archivers.zip.UnsupportedZipFeatureException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import reactor.core.Exceptions;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;

/**
 * Expands one ZIP archive of a multipart upload while it streams in: entries are read one after
 * the other from the local headers ({@link ZipArchiveInputStream}, never the central directory, so
 * overlapping-entry bombs and entries listed only in the central directory do not apply), and each
 * image entry is handed to {@link EntryStager} as it inflates. Blocking: runs on an archive thread.
 * Directories and OS junk are skipped; anything doubtful rejects the whole request.
 */
public final class ZipExpansion {

	private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

	private static final Set<String> ARCHIVES = Set.of("zip", "jar", "7z", "rar", "tar", "gz", "tgz", "bz2", "xz",
			"zst");

	private static final String DATA_DESCRIPTOR = "is stored with a data descriptor, which cannot be read as it "
			+ "streams; compress it (deflate) or store it with its sizes";

	private static final Set<String> JUNK = Set.of(".ds_store", "thumbs.db", "desktop.ini");

	private final int position;

	private final String archive;

	private final long maxDrain;

	private final EntryStager stager;

	private final int centralDirectoryLimit;

	private final List<String> localNames = new ArrayList<>();

	public ZipExpansion(int position, String archive, long maxDrain, int centralDirectoryLimit, EntryStager stager) {
		this.centralDirectoryLimit = centralDirectoryLimit;
		this.position = position;
		this.archive = archive;
		this.maxDrain = maxDrain;
		this.stager = stager;
	}

	/**
	 * Reads the archive part to its end; returns its staged images in entry order, or throws the
	 * {@link ApiProblem} that rejects the request (or the multipart reader's own error).
	 */
	public List<StagedFile> expand(InputStream input) {
		CentralDirectory.Tail part = new CentralDirectory.Tail(input, centralDirectoryLimit);
		try {
			List<StagedFile> files = entries(part);
			drain(part, Long.MAX_VALUE, null);
			checkCentralDirectory(part.last());
			return files;
		}
		catch (ApiProblem problem) {
			drain(part, maxDrain, problem);
			throw problem;
		}
		catch (RuntimeException ex) {
			drain(part, 0, null);
			throw ex;
		}
	}

	private List<StagedFile> entries(InputStream part) {
		List<StagedFile> files = new ArrayList<>();
		Set<String> names = new HashSet<>();
		// not closed: that would close the part, which is read to its end by expand()
		ZipArchiveInputStream zip = new ZipArchiveInputStream(part, "UTF-8", true, false, true);
		Verification pending = null;
		try {
			ZipArchiveEntry entry;
			while ((entry = next(zip)) != null) {
				verify(pending); // a data descriptor is read only once the next entry is reached
				pending = null;
				String path = entry.getName().replace('\\', '/');
				localNames.add(path);
				if (entry.isDirectory() || path.endsWith("/") || isJunk(path)) {
					continue;
				}
				check(zip, entry, path, names);
				EntryStager.Staged staged = stager.stage(zip, path, baseName(path));
				if (staged.tooLarge()) {
					throw UploadMessages.archiveEntryTooLarge(position, archive, shown(path), stager.limit());
				}
				files.add(staged.file());
				pending = new Verification(entry, path, staged.crc(), staged.file().size());
			}
			verify(pending);
		}
		catch (UnsupportedZipFeatureException ex) {
			throw unsupported(ex);
		}
		catch (IOException ex) {
			throw readerError(ex);
		}
		catch (ApiProblem ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// an entry failed while it was staged from another thread
			Throwable cause = Exceptions.unwrap(ex);
			if (cause instanceof UnsupportedZipFeatureException unsupported) {
				throw unsupported(unsupported);
			}
			if (cause instanceof IOException io) {
				throw readerError(io);
			}
			throw ex;
		}
		if (files.isEmpty()) {
			throw UploadMessages.badArchive(position, archive, "contains no images");
		}
		return files;
	}

	/**
	 * The next entry; the reader's own failures on a hostile archive (such as skipping an entry whose
	 * compression method it does not know) become an {@link IOException}, so they mean a broken archive.
	 */
	private static ZipArchiveEntry next(ZipArchiveInputStream zip) throws IOException {
		try {
			return zip.getNextEntry();
		}
		catch (ApiProblem ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// the multipart reader's own errors stay findable as causes (see readerError)
			throw new IOException("the ZIP reader failed", ex);
		}
	}

	private void check(ZipArchiveInputStream zip, ZipArchiveEntry entry, String path, Set<String> names) {
		String extension = ImageFormat.extensionOf(path).toLowerCase(Locale.ROOT);
		String problem = null;
		if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
			problem = "has control characters in its name";
		}
		else if (path.startsWith("/") || DRIVE.matcher(path).matches()) {
			problem = "has an absolute path";
		}
		else if (List.of(path.split("/")).contains("..")) {
			problem = "has a path that leaves the archive ('..')";
		}
		else if (entry.isUnixSymlink()) {
			problem = "is a symbolic link";
		}
		else if (entry.getGeneralPurposeBit().usesEncryption()) {
			problem = "is encrypted";
		}
		else if (!zip.canReadEntryData(entry)) {
			boolean descriptor = entry.getGeneralPurposeBit().usesDataDescriptor()
					&& entry.getMethod() == ZipEntry.STORED;
			problem = descriptor ? DATA_DESCRIPTOR : "uses an unsupported compression method";
		}
		else if (ARCHIVES.contains(extension)) {
			problem = "is an archive; archives inside archives are not supported";
		}
		else if (ImageFormat.forExtension(extension).isEmpty()) {
			problem = "extension '" + extension + "' is not supported";
		}
		else if (!names.add(Normalizer.normalize(path, Normalizer.Form.NFC).toLowerCase(Locale.ROOT))) {
			problem = "has the same name as another entry";
		}
		if (problem != null) {
			throw UploadMessages.badArchiveEntry(position, archive, shown(path), problem);
		}
	}

	/** The central directory must list exactly the entries read, and no symbolic link. */
	private void checkCentralDirectory(byte[] tail) {
		List<CentralDirectory.Entry> listed = CentralDirectory.read(tail);
		if (listed == null) {
			throw UploadMessages.badArchive(position, archive, "has no central directory that can be checked "
					+ "(it is missing, damaged or larger than " + centralDirectoryLimit / 1024 + "KB)");
		}
		for (CentralDirectory.Entry entry : listed) {
			if (entry.symlink()) {
				throw UploadMessages.badArchiveEntry(position, archive, shown(entry.name()), "is a symbolic link");
			}
		}
		if (!listed.stream().map(CentralDirectory.Entry::name).toList().equals(localNames)) {
			throw UploadMessages.badArchive(position, archive,
					"lists other entries in its central directory than it contains; it reads differently in "
							+ "different tools");
		}
	}

	private void verify(Verification staged) {
		if (staged == null) {
			return;
		}
		ZipArchiveEntry entry = staged.entry();
		if ((entry.getCrc() != -1 && entry.getCrc() != staged.crc())
				|| (entry.getSize() != -1 && entry.getSize() != staged.size())) {
			throw UploadMessages.badArchiveEntry(position, archive, shown(staged.path()),
					"is corrupt (its size or checksum does not match)");
		}
	}

	private ApiProblem unsupported(UnsupportedZipFeatureException ex) {
		String entry = (ex.getEntry() != null) ? shown(ex.getEntry().getName()) : "?";
		UnsupportedZipFeatureException.Feature feature = ex.getFeature();
		if (feature == UnsupportedZipFeatureException.Feature.ENCRYPTION) {
			return UploadMessages.badArchiveEntry(position, archive, entry, "is encrypted");
		}
		if (feature == UnsupportedZipFeatureException.Feature.METHOD) {
			return UploadMessages.badArchiveEntry(position, archive, entry, "uses an unsupported compression method");
		}
		if (feature == UnsupportedZipFeatureException.Feature.SPLITTING) {
			return UploadMessages.badArchive(position, archive, "is a split archive, which is not supported");
		}
		return UploadMessages.badArchiveEntry(position, archive, entry, DATA_DESCRIPTOR);
	}

	/** The multipart reader's own errors pass through; anything else means the archive is broken. */
	private RuntimeException readerError(IOException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataBufferLimitException || cause instanceof DecodingException
					|| cause instanceof ApiProblem) {
				return (RuntimeException) cause;
			}
		}
		return UploadMessages.badArchive(position, archive, "is not a valid ZIP archive");
	}

	/** Reads the rest of the part; past the budget, gives up with the problem (if there is one). */
	private static void drain(InputStream part, long budget, ApiProblem problem) {
		byte[] skipped = new byte[8192];
		long total = 0;
		try (part) {
			int read;
			while ((read = part.read(skipped)) >= 0) {
				total += read;
				if (total > budget && problem != null) {
					throw problem;
				}
			}
		}
		catch (IOException ex) {
			// the reader failed: MultipartUpload reports its error, or the problem already chosen
		}
	}

	private static boolean isJunk(String path) {
		String base = baseName(path).toLowerCase(Locale.ROOT);
		return path.startsWith("__MACOSX/") || path.contains("/__MACOSX/") || JUNK.contains(base)
				|| base.startsWith("._");
	}

	private static String baseName(String path) {
		return path.substring(path.lastIndexOf('/') + 1);
	}

	/** An entry name as it may appear in a message: control characters replaced, length capped. */
	private static String shown(String name) {
		String safe = name.replaceAll("[\\p{Cntrl}\\u202A-\\u202E]", "?");
		return (safe.length() > 200) ? safe.substring(0, 200) + "…" : safe;
	}

	private record Verification(ZipArchiveEntry entry, String path, long crc, long size) {
	}

}
