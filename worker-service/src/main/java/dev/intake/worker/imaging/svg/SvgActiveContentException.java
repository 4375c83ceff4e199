package dev.intake.worker.imaging.svg;

import dev.intake.worker.imaging.UnreadableImageException;

/** An SVG document with content a browser could run or load from elsewhere: refused. */
public class SvgActiveContentException extends UnreadableImageException {

	SvgActiveContentException(String reason) {
		super(reason);
	}

}
