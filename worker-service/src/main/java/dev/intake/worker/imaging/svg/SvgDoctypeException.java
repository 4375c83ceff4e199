package dev.intake.worker.imaging.svg;

import dev.intake.worker.imaging.UnreadableImageException;

/** An SVG document with a document type declaration: refused, as DTDs are never processed. */
public class SvgDoctypeException extends UnreadableImageException {

	SvgDoctypeException() {
		super("document type declarations are not allowed in SVG");
	}

}
