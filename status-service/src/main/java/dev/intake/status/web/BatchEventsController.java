package dev.intake.status.web;

import dev.intake.contracts.BatchKey;
import dev.intake.contracts.InternalApi;
import dev.intake.status.live.LiveBatchEvents;
import dev.intake.status.live.LiveEventsProperties;
import dev.intake.status.lookup.BatchProgressStore;
import dev.intake.status.lookup.PeerForwarder;
import dev.intake.status.lookup.ReadYourWritesLookup;
import dev.intake.status.lookup.StatusUnavailableException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal live-progress endpoint: Server-Sent Events of a batch (see
 * {@link LiveBatchEvents}), served by the instance that owns the batch, since only it sees the
 * changes; any other instance relays the owner's stream. Before the stream starts, the answers
 * are those of the status look-up: 404/1203 for a batch that does not exist (read-your-writes
 * applies), 503/1500 with {@code Retry-After} when that cannot be told yet.
 */
@RestController
class BatchEventsController {

	static final String PATH = InternalApi.BATCH_EVENTS;

	private static final Log logger = LogFactory.getLog(BatchEventsController.class);

	private final BatchProgressStore store;

	private final ReadYourWritesLookup lookup;

	private final LiveBatchEvents live;

	private final PeerForwarder forwarder;

	private final LiveEventsProperties props;

	private final Scheduler blocking;

	BatchEventsController(BatchProgressStore store, ReadYourWritesLookup lookup, LiveBatchEvents live,
			PeerForwarder forwarder, LiveEventsProperties props, Scheduler statusBlockingScheduler) {
		this.store = store;
		this.lookup = lookup;
		this.live = live;
		this.forwarder = forwarder;
		this.props = props;
		this.blocking = statusBlockingScheduler;
	}

	@GetMapping(PATH)
	Mono<? extends ResponseEntity<?>> events(@PathVariable String tenant, @PathVariable String batchId,
			@RequestHeader(name = PeerForwarder.FORWARDED_HEADER, required = false) String forwarded) {
		if (!BatchKey.TENANT.matcher(tenant).matches() || !BatchKey.isValidBatchId(batchId)) {
			return Mono.just(BatchStatusController.notFound());
		}
		BatchKey key = new BatchKey(tenant, batchId);
		return Mono.fromCallable(() -> store.locate(key.toString())).subscribeOn(blocking).flatMap(location -> {
			if (location.local()) {
				return local(key, location.partition());
			}
			if (forwarded != null) {
				throw new StatusUnavailableException("forwarded here, but owned by " + location.host());
			}
			return forwarder.forwardEvents(location.host(), key, props.idleTimeout());
		}).onErrorResume(ex -> {
			logger.debug("Live status of " + key + " unavailable: " + ex.getMessage());
			return Mono.just(BatchStatusController.unavailable());
		});
	}

	private Mono<ResponseEntity<?>> local(BatchKey key, int partition) {
		if (live.full()) {
			return Mono.just(BatchStatusController.unavailable());
		}
		return lookup.find(key.toString(), partition)
			.map(found -> found.isEmpty() ? BatchStatusController.notFound()
					: ResponseEntity.ok()
						.contentType(MediaType.TEXT_EVENT_STREAM)
						.header("X-Accel-Buffering", "no")
						.body(live.stream(key, partition)));
	}

}
