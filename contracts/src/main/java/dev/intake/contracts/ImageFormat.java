package dev.intake.contracts;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The image formats Intake accepts (the bach.art batch-upload API's list: jpg, jpeg, png, gif,
 * bmp, webp, svg, ico, tiff, tif), with the file extensions a client may use and the content type Intake serves them with.
 */
public enum ImageFormat {

	JPEG("image/jpeg", "jpg", List.of("jpg", "jpeg")),
	PNG("image/png", "png", List.of("png")),
	GIF("image/gif", "gif", List.of("gif")),
	BMP("image/bmp", "bmp", List.of("bmp")),
	WEBP("image/webp", "webp", List.of("webp")),
	SVG("image/svg+xml", "svg", List.of("svg")),
	ICO("image/vnd.microsoft.icon", "ico", List.of("ico")),
	TIFF("image/tiff", "tiff", List.of("tiff", "tif"));

	private final String contentType;

	private final String extension;

	private final List<String> extensions;

	ImageFormat(String contentType, String extension, List<String> extensions) {
		this.contentType = contentType;
		this.extension = extension;
		this.extensions = extensions;
	}

	public String contentType() {
		return contentType;
	}

	/** The extension Intake gives stored objects of this format. */
	public String extension() {
		return extension;
	}

	/** The format a file extension names, if it is one Intake accepts (case-insensitive). */
	public static Optional<ImageFormat> forExtension(String extension) {
		String lower = extension.toLowerCase(Locale.ROOT);
		for (ImageFormat format : values()) {
			if (format.extensions.contains(lower)) {
				return Optional.of(format);
			}
		}
		return Optional.empty();
	}

	/** The extension of a file name: what follows the last dot, or "" when there is none. */
	public static String extensionOf(String filename) {
		if (filename == null) {
			return "";
		}
		int slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
		String base = filename.substring(slash + 1);
		int dot = base.lastIndexOf('.');
		return (dot < 0 || dot == base.length() - 1) ? "" : base.substring(dot + 1);
	}

}
