package dev.intake.contracts;

import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A stored file as events describe it to subscribers: its public URL, what was measured from the
 * bytes, and its renditions with their URLs.
 *
 * @param format the format's extension ({@code png}, {@code jpg} …, or a document's, e.g. {@code pdf})
 * @param width as displayed; 0 for a document
 * @param duplicate true when identical bytes of the tenant were already stored, so the URL is the
 * existing object's
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredFile(String url, String format, String contentType, int width, int height, int frames, long size,
		String md5, String sha256, boolean duplicate, List<RenditionFile> renditions) {

	public StoredFile {
		renditions = (renditions != null) ? List.copyOf(renditions) : List.of();
	}

	/** The file of {@code image}, its object keys made URLs by {@code urlOfKey}. */
	public static StoredFile of(StoredImage image, UnaryOperator<String> urlOfKey) {
		String format = (image.format() != null) ? image.format().extension()
				: (image.document() != null) ? image.document().extension() : null;
		String contentType = (image.contentType() != null || image.format() == null) ? image.contentType()
				: image.format().contentType();
		List<RenditionFile> renditions = image.renditions()
			.stream()
			.map(rendition -> new RenditionFile(rendition.name(), urlOfKey.apply(rendition.key()),
					rendition.contentType(), rendition.width(), rendition.height(), rendition.size()))
			.toList();
		return new StoredFile(urlOfKey.apply(image.key()), format, contentType, image.width(), image.height(),
				image.frames(), image.size(), image.md5(), image.sha256(), image.duplicate(), renditions);
	}

	/** A derived image stored beside the file, e.g. {@code thumb}. */
	public record RenditionFile(String name, String url, String contentType, int width, int height, long size) {
	}

}
