package dev.intake.status.live;

import dev.intake.status.lookup.BatchProgressStore;
import dev.intake.status.lookup.BatchStatusQuery;
import dev.intake.status.view.ImageLinkProperties;
import reactor.core.scheduler.Scheduler;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Live progress: the feed of batch updates and the event streams served from it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LiveEventsProperties.class)
class LiveEventsConfiguration {

	/** Fed by the topology (see {@code ProgressStreamsConfiguration}) with every batch update. */
	@Bean
	BatchProgressChanges batchProgressChanges(LiveEventsProperties props) {
		return new BatchProgressChanges(props.maxStreams());
	}

	@Bean
	LiveBatchEvents liveBatchEvents(BatchProgressStore store, BatchProgressChanges changes, ImageLinkProperties links,
			Scheduler statusBlockingScheduler, LiveEventsProperties props, BatchStatusQuery batchStatusQuery) {
		return new LiveBatchEvents(store, changes, links, statusBlockingScheduler, props, batchStatusQuery);
	}

}
