package dev.intake.status.content;

import dev.intake.status.lookup.PeerRelay;
import dev.intake.status.progress.ProgressChangesTopology;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The content index: its part of the status topology (in the same Kafka Streams instance, on its
 * own topic), and its look-ups from any instance (interactive queries, forwarding to the keeper).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ContentProperties.class)
class ContentConfiguration {

	@Bean
	ProgressChangesTopology contentIndexTopology() {
		return (builder, changes) -> ContentIndexTopology.build(builder);
	}

	@Bean
	ContentLookup contentLookup(StreamsBuilderFactoryBean streams, WebClient.Builder webClients,
			ContentProperties props) {
		PeerRelay peers = new PeerRelay(webClients.clone().build(), props.forwardTimeout());
		// store reads touch RocksDB: never on an event-loop thread
		return new ContentLookup(new ContentStore(streams), peers, Schedulers.boundedElastic());
	}

}
