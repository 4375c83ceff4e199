package dev.intake.platform.outbound;

/** A URL Intake will not request; the message says why, in words safe to show the client. */
public class RefusedUrlException extends Exception {

	public RefusedUrlException(String reason) {
		super(reason, null, false, false);
	}

}
