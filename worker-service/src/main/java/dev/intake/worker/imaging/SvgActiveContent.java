package dev.intake.worker.imaging;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Refuses SVG documents with active content: {@code script} and {@code foreignObject}
 * elements, event-handler attributes ({@code on*}), links ({@code href}, {@code xlink:href})
 * to anything but a fragment of the same document, and CSS that imports or points to outside
 * resources. Walks the rest of the document from the current element on; never loads anything.
 */
final class SvgActiveContent {

	private static final Pattern CSS_URL = Pattern.compile("url\\(\\s*['\"]?\\s*([^'\")\\s]*)",
			Pattern.CASE_INSENSITIVE);

	private SvgActiveContent() {
	}

	/** Checks the element the reader is on, then everything after it. */
	static void check(XMLStreamReader xml) throws XMLStreamException, SvgActiveContentException {
		boolean inStyle = false;
		for (int event = xml.getEventType();; event = xml.next()) {
			if (event == XMLStreamConstants.START_ELEMENT) {
				checkElement(xml);
				inStyle = "style".equals(xml.getLocalName());
			}
			else if (event == XMLStreamConstants.END_ELEMENT) {
				inStyle = false;
			}
			else if (inStyle && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
				checkCss(xml.getText());
			}
			else if (event == XMLStreamConstants.END_DOCUMENT) {
				return;
			}
		}
	}

	private static void checkElement(XMLStreamReader xml) throws SvgActiveContentException {
		String element = xml.getLocalName();
		if (element.equalsIgnoreCase("script") || element.equalsIgnoreCase("foreignObject")) {
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
			checkCss(value);
		}
	}

	private static void checkCss(String text) throws SvgActiveContentException {
		if (text.toLowerCase(Locale.ROOT).contains("@import")) {
			throw new SvgActiveContentException("its styles import a resource outside the document");
		}
		Matcher url = CSS_URL.matcher(text);
		while (url.find()) {
			if (!url.group(1).startsWith("#")) {
				throw new SvgActiveContentException("it refers to a resource outside the document (url)");
			}
		}
	}

}
