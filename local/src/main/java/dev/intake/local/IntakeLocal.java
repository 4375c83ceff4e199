package dev.intake.local;

import java.util.concurrent.CountDownLatch;

/**
 * {@code ./mvnw -pl local -am spring-boot:run}: Intake on its embedded default, with a real Kafka
 * broker and a real S3 server in this JVM and all data under {@code ./data}. Ctrl-C stops the
 * services, then S3, then the broker.
 */
public final class IntakeLocal {

	private IntakeLocal() {
	}

	public static void main(String[] args) throws Exception {
		LocalSettings settings = LocalSettings.fromEnvironment(System.getenv());
		// arguments are settings for every service, e.g. --intake.worker.renditions.profiles.default= (the benchmark uses them)
		String part = System.getenv("INTAKE_PART");
		if (part != null && !part.isBlank()) {
			runPart(settings, part.trim(), args);
			return;
		}
		LocalIntake intake = LocalIntake.start(settings, args);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("Stopping Intake ...");
			intake.close();
			System.out.println("Intake stopped.");
			stopped.countDown();
		}, "intake-local-shutdown"));
		printBanner(settings, intake);
		stopped.await();
	}

	/**
	 * One part of Intake in this JVM ({@code INTAKE_PART}: backends, status, worker or api), the
	 * others started the same way in their own processes on the same ports; {@code status},
	 * {@code worker} and {@code api} share {@code INTAKE_INTERNAL_TOKEN}. For measuring each service on its own.
	 */
	private static void runPart(LocalSettings settings, String part, String[] args) throws Exception {
		String internalToken = System.getenv("INTAKE_INTERNAL_TOKEN");
		if (!"backends".equals(part) && (internalToken == null || internalToken.isBlank())) {
			throw new IllegalArgumentException("INTAKE_PART=" + part + " needs INTAKE_INTERNAL_TOKEN");
		}
		LocalIntake intake = LocalIntake.startPart(settings, part, internalToken, args);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			intake.close();
			stopped.countDown();
		}, "intake-local-shutdown"));
		System.out.println("Intake part '" + part + "' is ready.");
		stopped.await();
	}

	private static void printBanner(LocalSettings settings, LocalIntake intake) {
		String metrics = String.join(", ", intake.services()
			.stream()
			.map(service -> service.replace("-service", "") + " http://127.0.0.1:" + intake.managementPort(service)
					+ "/actuator/prometheus")
			.toList());
		String token = settings.apiToken();
		String tokenSource = LocalSettings.DEFAULT_TOKEN.equals(token) ? " (default; set INTAKE_API_TOKEN to change)"
				: " (from INTAKE_API_TOKEN)";
		System.out.println("""

				  Intake is ready.
				    Base URL : %s
				    Console  : http://127.0.0.1:%d/ (paste the token below as the API key)
				    Auth     : Authorization: Bearer %s%s   [tenant 'local']
				    Data     : %s
				    Try      : curl -H "Authorization: Bearer %s" -F files=@photo.jpg %s/batch-upload/submit-with-files
				    Metrics  : %s
				  Press Ctrl-C to stop.
				""".formatted(settings.baseUrl(), settings.apiPort(), token, tokenSource, settings.dataDir(), token,
						settings.baseUrl(), metrics));
	}

}
