package dev.intake.status.catalogue;

import dev.intake.contracts.Asset;
import dev.intake.status.lookup.PeerRelay;
import dev.intake.status.lookup.PeerRelays;
import dev.intake.status.progress.ObjectUrls;
import dev.intake.status.progress.ProgressChangesTopology;
import org.apache.kafka.clients.admin.Admin;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * The asset catalogue: its part of the status topology, and the look-up by id from any
 * instance (interactive queries, read-your-writes, forwarding to the owner).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogueProperties.class)
class CatalogueConfiguration {

	@Bean
	ProgressChangesTopology assetCatalogueTopology(ObjectUrls urls) {
		return (builder, changes) -> AssetCatalogueTopology.build(builder, changes, urls);
	}

	@Bean
	AssetLookup assetLookup(StreamsBuilderFactoryBean streams, Admin admin, PeerRelays relays,
			CatalogueProperties props) {
		KeyedStore<Asset> store = new KeyedStore<>(streams, AssetCatalogueTopology.STORE);
		CatalogueCatchUp catchUp = new CatalogueCatchUp(admin, store.applicationId(), props.readYourWritesTimeout(),
				props.readYourWritesPollInterval());
		PeerRelay peers = relays.relay(props.forwardTimeout());
		// store reads touch RocksDB: never on an event-loop thread
		return new AssetLookup(store, catchUp, peers, Schedulers.boundedElastic(), props.readYourWritesTimeout());
	}

}
