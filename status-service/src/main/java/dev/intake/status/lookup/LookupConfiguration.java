package dev.intake.status.lookup;

import java.time.Clock;
import java.util.Properties;

import dev.intake.status.progress.RetentionProperties;
import dev.intake.status.queue.JobQueue;
import dev.intake.status.view.ImageLinkProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The status look-up: interactive queries, read-your-writes, forwarding between instances.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ StatusProperties.class, ImageLinkProperties.class })
class LookupConfiguration {

	/**
	 * This instance's Kafka Streams {@code application.server} (where peers forward look-ups of
	 * the batches it owns) and standby replicas, from {@code intake.status.*}.
	 */
	@Bean
	StreamsBuilderFactoryBeanConfigurer statusInstanceConfigurer(StatusProperties props, Environment environment) {
		return factoryBean -> {
			Properties config = new Properties();
			config.putAll(factoryBean.getStreamsConfiguration());
			config.put(StreamsConfig.APPLICATION_SERVER_CONFIG,
					props.advertisedHost() + ":" + environment.getRequiredProperty("server.port"));
			config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(props.standbyReplicas()));
			factoryBean.setStreamsConfiguration(config);
		};
	}

	/** One admin client for the offset look-ups of read-your-writes; closed on shutdown. */
	@Bean(destroyMethod = "close")
	Admin statusAdmin(KafkaAdmin kafkaAdmin) {
		return Admin.create(kafkaAdmin.getConfigurationProperties());
	}

	@Bean
	BatchProgressStore batchProgressStore(StreamsBuilderFactoryBean streams, RetentionProperties retention) {
		return new BatchProgressStore(streams, retention.retention(), Clock.systemUTC());
	}

	/** Store reads that may wait (read-your-writes re-checks, event streams): never on an event-loop thread. */
	@Bean
	Scheduler statusBlockingScheduler() {
		return Schedulers.boundedElastic();
	}

	@Bean
	ReadYourWritesLookup readYourWritesLookup(BatchProgressStore store, Admin statusAdmin, StatusProperties props,
			Scheduler statusBlockingScheduler) {
		StoreCatchUpCheck catchUp = new StoreCatchUpCheck(statusAdmin, store.applicationId(),
				props.readYourWritesTimeout());
		return new ReadYourWritesLookup(store, catchUp, statusBlockingScheduler, props.readYourWritesTimeout(),
				props.readYourWritesPollInterval());
	}

	@Bean
	PeerRelays peerRelays(WebClient.Builder webClients, StatusProperties props) {
		int maxAnswerSize = (int) Math.min(Integer.MAX_VALUE, props.forwardMaxAnswerSize().toBytes());
		return new PeerRelays(webClients.clone()
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxAnswerSize))
			.build());
	}

	@Bean
	PeerForwarder peerForwarder(PeerRelays relays, StatusProperties props) {
		return new PeerForwarder(relays, props.forwardTimeout());
	}

	/**
	 * The first store read of a batch look-up runs where the request arrived unless
	 * {@code intake.status.read-on-event-loop} is off (then on the blocking scheduler).
	 */
	@Bean
	BatchStatusQuery batchStatusQuery(BatchProgressStore store, ReadYourWritesLookup lookup, PeerForwarder forwarder,
			ImageLinkProperties links, Scheduler statusBlockingScheduler, JobQueue jobQueue, StatusProperties props,
			JsonMapper json) {
		Scheduler firstRead = props.readOnEventLoop() ? Schedulers.immediate() : statusBlockingScheduler;
		return new BatchStatusQuery(store, lookup, forwarder, links, firstRead, jobQueue,
				new FinishedAnswers(json, props.finishedAnswersSize().toBytes()));
	}

}
