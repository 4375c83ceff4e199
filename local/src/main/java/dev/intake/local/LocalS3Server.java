package dev.intake.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * A real S3 API server (S3Proxy) in this JVM, bound to 127.0.0.1, storing objects as plain files
 * under {@code <data>/s3/<bucket>/<key>}. With a metrics port, the server also counts every request
 * it receives by S3 operation ({@link S3RequestCounts}; the benchmark reads its S3 requests per
 * image there).
 */
final class LocalS3Server implements AutoCloseable {

	static final String ACCESS_KEY = "intake-local";

	static final String SECRET_KEY = "intake-local-secret";

	private final S3Proxy proxy;

	private final S3RequestCounts counts;

	private LocalS3Server(S3Proxy proxy, S3RequestCounts counts) {
		this.proxy = proxy;
		this.counts = counts;
	}

	static LocalS3Server start(Path dataDir, int port) throws Exception {
		return start(dataDir, port, 0);
	}

	/** @param metricsPort where to publish the request counts, or 0 for none */
	static LocalS3Server start(Path dataDir, int port, int metricsPort) throws Exception {
		// S3Proxy lists nothing under a relative base directory: always pass an absolute one
		Path baseDir = dataDir.toAbsolutePath().normalize().resolve("s3");
		Files.createDirectories(baseDir);
		Properties props = new Properties();
		props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
		props.setProperty("jclouds.identity", ACCESS_KEY);
		props.setProperty("jclouds.credential", SECRET_KEY);
		S3Proxy.Builder builder = S3Proxy.builder()
			.blobStore(new DirectoryRaceRetries(BlobStores.create("filesystem-nio2", props)))
			.endpoint(URI.create("http://127.0.0.1:" + port))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
			// the SDK's multipart uploads send x-amz-mp-object-size, which S3Proxy does not know
			.ignoreUnknownHeaders(true);
		S3Proxy proxy = builder.build();
		S3RequestCounts counts = (metricsPort > 0) ? S3RequestCounts.install(proxy, metricsPort) : null;
		LocalS3Server server = new LocalS3Server(proxy, counts);
		try {
			proxy.start();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!"STARTED".equals(proxy.getState())) {
				if (System.nanoTime() > deadline) {
					throw new IOException("S3Proxy did not start within 30 s");
				}
				Thread.sleep(20);
			}
			return server;
		}
		catch (Exception ex) {
			// e.g. its port in use: the counts' server is not left bound
			try {
				server.close();
			}
			catch (Exception closing) {
				ex.addSuppressed(closing);
			}
			throw ex;
		}
	}

	String endpoint() {
		return "http://127.0.0.1:" + proxy.getPort();
	}

	@Override
	public void close() throws Exception {
		if (counts != null) {
			counts.close();
		}
		proxy.stop();
	}

}
