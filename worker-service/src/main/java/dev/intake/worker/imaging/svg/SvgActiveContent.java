package dev.intake.worker.imaging.svg;

import java.util.Locale;
import java.util.Set;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.UnreadableImageException;

/**
 * Refuses SVG documents with active content: elements that run code or embed other documents
 * ({@code script}, {@code foreignObject}, {@code handler}, {@code iframe}, {@code embed},
 * {@code object}), event-handler attributes ({@code on*}), links ({@code href},
 * {@code xlink:href}) to anything but a fragment of the same document, animations
 * ({@code set}, {@code animate}, …) of a link or event-handler attribute, {@code javascript:}
 * or {@code vbscript:} in any attribute, {@code xml-stylesheet} processing instructions, and CSS
 * that imports or points to outside resources ({@link SvgCss}; a {@code <style>} element's
 * whole text, nested elements notwithstanding), and documents that stand for more elements than
 * {@link SvgUseBudget} allows once {@code <use>} references are expanded, or whose references
 * loop. Walks the rest of the document from the current
 * element on; never loads anything.
 */
final class SvgActiveContent {

	private static final Set<String> ACTIVE_ELEMENTS = Set.of("script", "foreignobject", "handler", "listener",
			"iframe", "embed", "object");

	private static final Set<String> ANIMATIONS = Set.of("set", "animate", "animatetransform", "animatemotion",
			"animatecolor");

	private SvgActiveContent() {
	}

	/** Checks the element the reader is on, then everything after it. */
	static void check(XMLStreamReader xml) throws XMLStreamException, UnreadableImageException {
		int depth = 0;
		int styleDepth = -1;
		StringBuilder style = new StringBuilder();
		SvgUseBudget uses = new SvgUseBudget();
		for (int event = xml.getEventType();; event = xml.next()) {
			DecodePool.checkCancelled();
			switch (event) {
				case XMLStreamConstants.START_ELEMENT -> {
					depth++;
					checkElement(xml);
					uses.start(xml.getAttributeValue(null, "id"), useTarget(xml));
					if (styleDepth < 0 && "style".equalsIgnoreCase(xml.getLocalName())) {
						styleDepth = depth;
					}
				}
				case XMLStreamConstants.END_ELEMENT -> {
					if (depth == styleDepth) {
						// the style sheet is all the text inside, however it is split
						SvgCss.check(style.toString());
						style.setLength(0);
						styleDepth = -1;
					}
					depth--;
					uses.end();
				}
				case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
					if (styleDepth >= 0) {
						style.append(xml.getText());
					}
				}
				case XMLStreamConstants.PROCESSING_INSTRUCTION -> checkInstruction(xml);
				case XMLStreamConstants.END_DOCUMENT -> {
					uses.finish();
					return;
				}
				default -> {
					// comments and the like carry nothing a browser runs
				}
			}
		}
	}

	/** A style sheet linked by a processing instruction is loaded by browsers: refused. */
	static void checkInstruction(XMLStreamReader xml) throws SvgActiveContentException {
		if ("xml-stylesheet".equalsIgnoreCase(xml.getPITarget())) {
			throw new SvgActiveContentException("it links a style sheet (xml-stylesheet)");
		}
	}

	private static void checkElement(XMLStreamReader xml) throws SvgActiveContentException {
		String element = xml.getLocalName();
		String lowerElement = element.toLowerCase(Locale.ROOT);
		if (ACTIVE_ELEMENTS.contains(lowerElement)) {
			throw new SvgActiveContentException("it contains a <" + element + "> element");
		}
		for (int i = 0; i < xml.getAttributeCount(); i++) {
			String name = xml.getAttributeLocalName(i);
			String value = xml.getAttributeValue(i);
			String lower = name.toLowerCase(Locale.ROOT);
			if (lower.startsWith("on")) {
				throw new SvgActiveContentException("it contains an event handler attribute (" + name + ")");
			}
			if (lower.equals("href") && !value.trim().startsWith("#")) {
				throw new SvgActiveContentException("it links to a resource outside the document (" + name + ")");
			}
			if (ANIMATIONS.contains(lowerElement) && lower.equals("attributename")) {
				checkAnimated(value);
			}
			String compact = value.replaceAll("[\\s\\x00-\\x1f]+", "").toLowerCase(Locale.ROOT);
			if (compact.contains("javascript:") || compact.contains("vbscript:")) {
				throw new SvgActiveContentException("it contains a script URL (" + name + ")");
			}
			SvgCss.check(value);
		}
	}

	/** The id a {@code <use>} element names ({@code href} over {@code xlink:href}); else null. */
	private static String useTarget(XMLStreamReader xml) {
		if (!"use".equals(xml.getLocalName())) {
			return null;
		}
		String link = null;
		for (int i = 0; i < xml.getAttributeCount(); i++) {
			if ("href".equals(xml.getAttributeLocalName(i))) {
				String ns = xml.getAttributeNamespace(i);
				if (link == null || ns == null || ns.isEmpty()) {
					link = xml.getAttributeValue(i);
				}
			}
		}
		// only fragments get here: any other link was refused by checkElement
		return (link == null) ? null : link.trim().substring(1);
	}

	private static void checkAnimated(String attributeName) throws SvgActiveContentException {
		String target = attributeName.trim().toLowerCase(Locale.ROOT);
		target = target.substring(target.indexOf(':') + 1);
		if (target.equals("href") || target.startsWith("on")) {
			throw new SvgActiveContentException("it animates a link or event handler attribute (" + attributeName.trim()
					+ ")");
		}
	}

}
