package dev.intake.worker.imaging;

import java.time.Duration;

/** Reading an image took longer than the decode deadline: treated as a broken image. */
public class DecodeTimeoutException extends UnreadableImageException {

	DecodeTimeoutException(Duration timeout) {
		super("reading the image took longer than " + timeout.toSeconds() + "s");
	}

}
