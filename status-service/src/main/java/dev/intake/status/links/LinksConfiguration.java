package dev.intake.status.links;

import dev.intake.status.catalogue.CatalogueCatchUp;
import dev.intake.status.catalogue.KeyedStore;
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
 * The nursery image API's batch links: their part of the status topology (in the same Kafka
 * Streams instance, on their own topic), and the look-up of a batch from any instance
 * (interactive queries, read-your-writes, forwarding to the keeper).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LinkProperties.class)
class LinksConfiguration {

	@Bean
	ProgressChangesTopology nurseryLinksTopology() {
		return (builder, changes) -> NurseryLinksTopology.build(builder);
	}

	@Bean
	LinkLookup linkLookup(StreamsBuilderFactoryBean streams, Admin admin, PeerRelays relays,
			LinkProperties props) {
		KeyedStore<NurseryBatch> store = new KeyedStore<>(streams, NurseryLinksTopology.STORE);
		CatalogueCatchUp catchUp = new CatalogueCatchUp(admin, store.applicationId(), props.readYourWritesTimeout(),
				props.readYourWritesPollInterval());
		PeerRelay peers = relays.relay(props.forwardTimeout());
		// store reads touch RocksDB: never on an event-loop thread
		return new LinkLookup(store, catchUp, peers, Schedulers.boundedElastic(), props.readYourWritesTimeout());
	}

}
