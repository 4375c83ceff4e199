package dev.intake.api.submission.upload;

import java.util.Locale;

import dev.intake.contracts.ImageFormat;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;

/**
 * A file of an upload (or an image entry of an uploaded ZIP archive) and where it is staged.
 *
 * @param index zero-based position among the batch's items (the status {@code index})
 * @param filename the client's file name without any path
 * @param contentType the image type the client declared when it is one Intake knows (see
 * {@link #knownImageType}), else {@code application/octet-stream}; recorded, never trusted
 * @param size bytes staged, or -1 before staging ended
 * @param archive for an entry of a ZIP archive, the archive's file name; otherwise null
 * @param entry for an entry of a ZIP archive, its path in the archive; otherwise null
 */
public record StagedFile(int index, String filename, String contentType, String key, long size, String archive,
		String entry) {

	public StagedFile(int index, String filename, String contentType, String key, long size) {
		this(index, filename, contentType, key, size, null, null);
	}

	public StagedFile withSize(long size) {
		return new StagedFile(index, filename, contentType, key, size, archive, entry);
	}

	/** The file name of a file part without any path, or "" when it has none. */
	public static String filenameOf(PartEvent event) {
		String filename = (event instanceof FilePartEvent file) ? file.filename() : null;
		if (filename == null) {
			return "";
		}
		int slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
		return filename.substring(slash + 1);
	}

	public static String declaredTypeOf(HttpHeaders headers) {
		try {
			MediaType type = headers.getContentType();
			String known = (type != null) ? knownImageType(type.getType() + "/" + type.getSubtype()) : null;
			return (known != null) ? known : MediaType.APPLICATION_OCTET_STREAM_VALUE;
		}
		catch (InvalidMediaTypeException ex) {
			return MediaType.APPLICATION_OCTET_STREAM_VALUE;
		}
	}

	/**
	 * The canonical media type of an image format Intake knows, for a declared {@code type/subtype}
	 * (case-insensitive, a few common aliases included), or null: a client's own string is never
	 * passed on to storage.
	 */
	public static String knownImageType(String declared) {
		String type = declared.toLowerCase(Locale.ROOT);
		for (ImageFormat format : ImageFormat.values()) {
			if (format.contentType().equals(type)) {
				return format.contentType();
			}
		}
		return switch (type) {
			case "image/jpg", "image/pjpeg" -> ImageFormat.JPEG.contentType();
			case "image/x-icon" -> ImageFormat.ICO.contentType();
			case "image/x-ms-bmp", "image/x-bmp" -> ImageFormat.BMP.contentType();
			default -> null;
		};
	}

}
