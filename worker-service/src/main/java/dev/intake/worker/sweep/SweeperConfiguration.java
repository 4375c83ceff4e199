package dev.intake.worker.sweep;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.platform.s3.IntakeBucket;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs the {@link StagingSweeper} every {@code intake.worker.sweeper.interval} on one daemon
 * thread of each worker instance (no leader; sweeps are safe to overlap).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SweeperProperties.class, StatusServiceProperties.class, InternalApiProperties.class })
class SweeperConfiguration {

	private static final Log logger = LogFactory.getLog(SweeperConfiguration.class);

	@Bean
	StagingSweeper stagingSweeper(S3Client s3, IntakeBucket bucket, SweeperProperties props,
			StatusServiceProperties status, InternalApiProperties internal) {
		OwnedUploads owned = new OwnedUploads(status.baseUrl(), internal.token(), status.timeout());
		return new StagingSweeper(s3, bucket.name(), props, owned, Clock.systemUTC());
	}

	/** The schedule, as a bean of its own type so it never stands in for an application scheduler. */
	@Bean(destroyMethod = "close")
	SweeperSchedule stagingSweeperSchedule(StagingSweeper sweeper, SweeperProperties props) {
		return new SweeperSchedule(sweeper, props);
	}

	/** One daemon thread running the sweeps; the first after a random part of the interval. */
	static final class SweeperSchedule implements AutoCloseable {

		private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread thread = new Thread(r, "intake-staging-sweeper");
			thread.setDaemon(true);
			return thread;
		});

		SweeperSchedule(StagingSweeper sweeper, SweeperProperties props) {
			if (props.enabled()) {
				long period = props.interval().toMillis();
				long firstDelay = ThreadLocalRandom.current().nextLong(period) + 1;
				executor.scheduleWithFixedDelay(() -> {
					try {
						sweeper.sweep();
					}
					catch (RuntimeException ex) {
						logger.warn("Staging sweep failed", ex);
					}
				}, firstDelay, period, TimeUnit.MILLISECONDS);
			}
		}

		@Override
		public void close() {
			executor.shutdownNow();
		}

	}

}
