package dev.intake.api;

import dev.intake.api.publish.RecordingBatchPublisher;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Set-up shared by the HTTP tests of a compatible upload API: a client on the running service,
 * and before each test no recorded batches and an empty staging area.
 */
public abstract class CompatibleApiTest {

	@LocalServerPort
	protected int port;

	@Autowired
	protected RecordingBatchPublisher publisher;

	protected WebTestClient client;

	@BeforeEach
	protected void startClean() {
		client = TestServers.client(port);
		publisher.reset();
		TestServers.deleteStaged();
	}

}
