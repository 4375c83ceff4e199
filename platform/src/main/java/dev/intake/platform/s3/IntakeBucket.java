package dev.intake.platform.s3;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** The one bucket Intake writes to; created at start-up when configured to and missing. */
public class IntakeBucket implements InitializingBean {

	private static final Log logger = LogFactory.getLog(IntakeBucket.class);

	private final S3Client s3;

	private final String name;

	private final boolean create;

	public IntakeBucket(S3Client s3, String name, boolean create) {
		this.s3 = s3;
		this.name = name;
		this.create = create;
	}

	public String name() {
		return name;
	}

	/** Fails when the bucket cannot be reached; used by the readiness probe. */
	public void check() {
		s3.headBucket(b -> b.bucket(name));
	}

	@Override
	public void afterPropertiesSet() {
		if (!create) {
			return;
		}
		try {
			check();
		}
		catch (NoSuchBucketException ex) {
			try {
				s3.createBucket(b -> b.bucket(name));
				logger.info("Created bucket '" + name + "'");
			}
			catch (BucketAlreadyOwnedByYouException raced) {
				// another service created it first
			}
		}
		catch (software.amazon.awssdk.services.s3.model.S3Exception ex) {
			if (ex.statusCode() != 404) {
				throw ex;
			}
			s3.createBucket(b -> b.bucket(name));
		}
	}

}
