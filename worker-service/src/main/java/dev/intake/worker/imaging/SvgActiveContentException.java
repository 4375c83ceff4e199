package dev.intake.worker.imaging;

/** An SVG document with content a browser could run or load from elsewhere: refused. */
public class SvgActiveContentException extends UnreadableImageException {

	SvgActiveContentException(String reason) {
		super(reason);
	}

}
