package dev.intake.status.content;

import java.time.Duration;

import dev.intake.contracts.Topics;
import dev.intake.status.lookup.PeerRelay;
import dev.intake.status.lookup.PeerRelays;
import dev.intake.status.progress.ProgressChangesTopology;
import org.apache.kafka.clients.admin.Admin;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

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
	GlobalTopicReady contentObjectsTopicReady(Admin admin, StreamsBuilderFactoryBean streams) {
		return new GlobalTopicReady(admin, Topics.CONTENT_OBJECTS.name(), Duration.ofSeconds(60),
				streams.getPhase() - 1);
	}

	@Bean
	ContentLookup contentLookup(StreamsBuilderFactoryBean streams, PeerRelays relays, ContentProperties props) {
		PeerRelay peers = relays.relay(props.forwardTimeout());
		// store reads touch RocksDB: never on an event-loop thread
		return new ContentLookup(new ContentStore(streams), peers, Schedulers.boundedElastic());
	}

}
