package dev.intake.local;

/** The infrastructure the services are pointed at. */
final class Backends {

	private Backends() {
	}

	/** An S3-compatible endpoint and the credentials for it. */
	record S3(String endpoint, String accessKey, String secretKey) {
	}

}
