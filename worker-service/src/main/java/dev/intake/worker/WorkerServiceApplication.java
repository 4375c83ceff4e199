package dev.intake.worker;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The worker-service: a member of the {@code intake-workers} share group that ingests one
 * image per job from {@code intake.jobs} and publishes its result to {@code intake.results}.
 * Its HTTP port serves only actuator (health, metrics). Scale out by starting more instances.
 */
@SpringBootApplication
public class WorkerServiceApplication {

	/** The application with its Spring settings from {@code worker-service.yml}, as the local launcher runs it. */
	public static SpringApplication application() {
		SpringApplication app = new SpringApplication(WorkerServiceApplication.class);
		app.setDefaultProperties(Map.of("spring.config.name", "worker-service"));
		return app;
	}

	public static void main(String[] args) {
		application().run(args);
	}

}
