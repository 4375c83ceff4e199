package dev.intake.local;

import java.nio.file.Path;

/**
 * The embedded S3 server (S3Proxy, filesystem backend) alone, as its own process:
 * {@code S3Main <dataDir> <port>}, objects under {@code <dataDir>/s3}. Used by the fault tests
 * ({@code faults/}) to make S3 unreachable and bring it back with the same objects. Prints
 * {@code S3 READY} once it serves requests; SIGTERM stops it.
 */
public final class S3Main {

	private S3Main() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: S3Main <dataDir> <port>");
			System.exit(2);
		}
		LocalS3Server s3 = LocalS3Server.start(Path.of(args[0]), Integer.parseInt(args[1]));
		BrokerMain.awaitShutdown(s3, "S3 READY " + s3.endpoint());
	}

}
