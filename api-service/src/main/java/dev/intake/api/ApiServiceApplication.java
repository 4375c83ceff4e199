package dev.intake.api;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The public HTTP entry point of Intake: authenticates callers, streams uploads to the S3 staging
 * area, publishes each batch and its jobs in one Kafka transaction, relays status look-ups to the
 * status-service and serves stored images. Its Spring settings are in {@code api-service.yml},
 * the defaults of its {@code intake.*} settings in the properties records.
 */
@SpringBootApplication
public class ApiServiceApplication {

	/** The application with its own configuration name, so it can share a JVM with the other services. */
	public static SpringApplication application() {
		SpringApplication app = new SpringApplication(ApiServiceApplication.class);
		app.setDefaultProperties(Map.of("spring.config.name", "api-service"));
		return app;
	}

	public static void main(String[] args) {
		application().run(args);
	}

}
