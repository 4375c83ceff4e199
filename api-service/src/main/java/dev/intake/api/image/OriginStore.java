package dev.intake.api.image;

import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The origin's own S3 client and connection pool, apart from the one uploads use. */
record OriginStore(S3AsyncClient s3) implements AutoCloseable {

	@Override
	public void close() {
		s3.close();
	}

}
