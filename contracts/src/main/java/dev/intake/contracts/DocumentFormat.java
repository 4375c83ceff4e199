package dev.intake.contracts;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Files that are not images but that some compatible APIs accept as attachments (the AnqiCMS
 * attachment upload's {@code is_image: 0}, the nursery image API's PDFs). Like images, a worker
 * recognises them by their bytes, not by their name; they are stored as they are, without image
 * processing, and served as downloads. Which of them a deployment accepts is a setting.
 */
public enum DocumentFormat {

	PDF("application/pdf", "pdf", List.of("pdf")),
	TXT("text/plain", "txt", List.of("txt")),
	CSV("text/csv", "csv", List.of("csv")),
	DOC("application/msword", "doc", List.of("doc")),
	DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", List.of("docx")),
	XLS("application/vnd.ms-excel", "xls", List.of("xls")),
	XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", List.of("xlsx")),
	MP4("video/mp4", "mp4", List.of("mp4", "m4v"));

	private final String contentType;

	private final String extension;

	private final List<String> extensions;

	DocumentFormat(String contentType, String extension, List<String> extensions) {
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

	/** The format a file extension names, if it is one of these (case-insensitive). */
	public static Optional<DocumentFormat> forExtension(String extension) {
		String lower = extension.toLowerCase(Locale.ROOT);
		for (DocumentFormat format : values()) {
			if (format.extensions.contains(lower)) {
				return Optional.of(format);
			}
		}
		return Optional.empty();
	}

	/** The format whose content type this is, ignoring parameters and case. */
	public static Optional<DocumentFormat> forContentType(String contentType) {
		if (contentType == null) {
			return Optional.empty();
		}
		for (DocumentFormat format : values()) {
			if (contentType.regionMatches(true, 0, format.contentType, 0, format.contentType.length())) {
				return Optional.of(format);
			}
		}
		return Optional.empty();
	}

}
