package dev.intake.worker.imaging.rendition;

import java.util.Locale;

/** How renditions are encoded ({@code intake.worker.rendition-format}). */
public enum RenditionFormat {

	JPEG("image/jpeg", "jpg"), WEBP("image/webp", "webp");

	private final String contentType;

	private final String extension;

	RenditionFormat(String contentType, String extension) {
		this.contentType = contentType;
		this.extension = extension;
	}

	public String contentType() {
		return contentType;
	}

	/** The file name extension of the rendition's object key. */
	public String extension() {
		return extension;
	}

	/** Parses {@code jpeg} or {@code webp}, in any case. */
	public static RenditionFormat parse(String text) {
		return switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "jpeg", "jpg" -> JPEG;
			case "webp" -> WEBP;
			default -> throw new IllegalArgumentException("rendition format must be jpeg or webp, not " + text);
		};
	}

}
