package dev.intake.status.query;

import org.apache.kafka.clients.admin.Admin;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.reactive.function.client.WebClient;

/** The status look-up: interactive queries, read-your-writes, forwarding between instances. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ StatusProperties.class, ImageLinkProperties.class })
class StatusQueryConfiguration {

	/** One admin client for the offset look-ups of read-your-writes; closed on shutdown. */
	@Bean(destroyMethod = "close")
	Admin statusAdmin(KafkaAdmin kafkaAdmin) {
		return Admin.create(kafkaAdmin.getConfigurationProperties());
	}

	@Bean
	BatchProgressStore batchProgressStore(StreamsBuilderFactoryBean streams) {
		return new BatchProgressStore(streams);
	}

	@Bean
	BatchStatusQuery batchStatusQuery(BatchProgressStore store, Admin statusAdmin, WebClient.Builder webClients,
			StatusProperties props, ImageLinkProperties links) {
		// store reads touch RocksDB: never on an event-loop thread
		Scheduler blocking = Schedulers.boundedElastic();
		StoreCatchUpCheck catchUp = new StoreCatchUpCheck(statusAdmin, store.applicationId(),
				props.readYourWritesTimeout());
		ReadYourWritesLookup lookup = new ReadYourWritesLookup(store, catchUp, blocking, props.readYourWritesTimeout(),
				props.readYourWritesPollInterval());
		int maxAnswerSize = (int) Math.min(Integer.MAX_VALUE, props.forwardMaxAnswerSize().toBytes());
		WebClient peers = webClients.clone()
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxAnswerSize))
			.build();
		PeerForwarder forwarder = new PeerForwarder(peers, props.forwardTimeout());
		return new BatchStatusQuery(store, lookup, forwarder, links, blocking);
	}

}
