package dev.intake.worker.imaging.svg;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.intake.worker.imaging.Dimensions;
import dev.intake.worker.imaging.UnreadableImageException;

/**
 * The nominal size of an SVG document from its root element's {@code width}, {@code height} and
 * {@code viewBox}, once the whole document has been walked for active content
 * ({@link SvgActiveContent}). DTDs and external entities are off, so no entity is ever expanded
 * or fetched.
 * <p>
 * Active content is the verdict that matters most to whoever sent the file, and the one a client
 * may act on, so it comes first: a document is walked before its size is judged, and before its
 * document type declaration is refused. A document type declaration is refused all the same (a
 * browser would expand the entities and default attributes this reader never sees), and so is a
 * document without a usable size, but only when the walk found nothing active.
 */
public final class SvgDimensions {

	// possessive quantifiers: a long run of digits followed by junk must not backtrack
	private static final Pattern LENGTH = Pattern
		.compile("([+-]?+(?:\\d++(?:\\.\\d*+)?+|\\.\\d++)(?:[eE][+-]?+\\d++)?+)\\s*+(px|pt|pc|mm|cm|in|%|em|ex)?+");

	/** No real length is longer; anything longer is refused before any matching. */
	private static final int MAX_LENGTH_CHARS = 64;

	private SvgDimensions() {
	}

	public static Dimensions read(Path file) throws UnreadableImageException {
		boolean doctype = false;
		try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
			XMLStreamReader xml = newFactory().createXMLStreamReader(in);
			try {
				while (xml.hasNext()) {
					int event = xml.next();
					if (event == XMLStreamConstants.DTD) {
						// with DTDs off the parser declares nothing from it; refused after the walk
						doctype = true;
					}
					if (event == XMLStreamConstants.PROCESSING_INSTRUCTION) {
						SvgActiveContent.checkInstruction(xml);
					}
					if (event == XMLStreamConstants.START_ELEMENT) {
						// the walk moves the reader on: what the size needs is taken first
						String root = xml.getLocalName();
						String width = xml.getAttributeValue(null, "width");
						String height = xml.getAttributeValue(null, "height");
						String viewBox = xml.getAttributeValue(null, "viewBox");
						SvgActiveContent.check(xml);
						if (doctype) {
							throw new SvgDoctypeException();
						}
						if (!"svg".equals(root)) {
							throw new UnreadableImageException("root element is not svg");
						}
						return size(width, height, viewBox);
					}
				}
				throw doctype ? new SvgDoctypeException() : new UnreadableImageException("no root element");
			}
			finally {
				xml.close();
			}
		}
		catch (XMLStreamException | IOException | RuntimeException ex) {
			if (doctype) {
				// typically a reference to an entity that only the ignored declaration declares
				throw new SvgDoctypeException();
			}
			throw new UnreadableImageException("cannot read the SVG document: " + ex.getMessage(), ex);
		}
	}

	static Dimensions size(String width, String height, String viewBox) throws UnreadableImageException {
		Double w = absolute(width);
		Double h = absolute(height);
		if (w != null && h != null) {
			return new Dimensions(pixels(w), pixels(h));
		}
		double[] box = viewBox(viewBox);
		if (box == null) {
			throw new UnreadableImageException("no absolute width and height and no viewBox");
		}
		if (w != null) {
			h = w * box[1] / box[0];
		}
		else if (h != null) {
			w = h * box[0] / box[1];
		}
		else {
			w = box[0];
			h = box[1];
		}
		return new Dimensions(pixels(w), pixels(h));
	}

	/** An absolute length in CSS pixels; null when absent or relative (%, em, ex). */
	private static Double absolute(String value) throws UnreadableImageException {
		if (value == null || value.isBlank()) {
			return null;
		}
		if (value.length() > MAX_LENGTH_CHARS) {
			throw new UnreadableImageException("unreadable length");
		}
		Matcher m = LENGTH.matcher(value.trim().toLowerCase(Locale.ROOT));
		if (!m.matches()) {
			throw new UnreadableImageException("unreadable length");
		}
		double number = Double.parseDouble(m.group(1));
		String unit = (m.group(2) != null) ? m.group(2) : "px";
		return switch (unit) {
			case "px" -> number;
			case "pt" -> number * 96 / 72;
			case "pc" -> number * 16;
			case "mm" -> number * 96 / 25.4;
			case "cm" -> number * 96 / 2.54;
			case "in" -> number * 96;
			default -> null;
		};
	}

	/** The width and height of a viewBox, or null when there is no usable one. */
	private static double[] viewBox(String value) throws UnreadableImageException {
		if (value == null || value.isBlank()) {
			return null;
		}
		String[] parts = value.trim().split("[\\s,]+");
		if (parts.length != 4) {
			throw new UnreadableImageException("unreadable viewBox");
		}
		try {
			double w = Double.parseDouble(parts[2]);
			double h = Double.parseDouble(parts[3]);
			if (!(w > 0 && h > 0) || Double.isInfinite(w) || Double.isInfinite(h)) {
				throw new UnreadableImageException("non-positive viewBox");
			}
			return new double[] { w, h };
		}
		catch (NumberFormatException ex) {
			throw new UnreadableImageException("unreadable viewBox", ex);
		}
	}

	private static int pixels(double length) throws UnreadableImageException {
		if (Double.isNaN(length) || length <= 0) {
			throw new UnreadableImageException("non-positive size");
		}
		// a huge nominal size saturates, and the pixel limit then refuses it
		return (int) Math.min(Integer.MAX_VALUE, Math.ceil(length));
	}

	private static XMLInputFactory newFactory() {
		// the JDK's own implementation, whatever StAX provider is on the classpath; one per read,
		// as factories are not documented to be thread-safe
		XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
		factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
		factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
		factory.setProperty(XMLInputFactory.IS_COALESCING, true);
		return factory;
	}

}
