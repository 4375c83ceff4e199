package dev.intake.api.compat.nursery;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import dev.intake.api.status.StatusServiceClient;
import dev.intake.contracts.NurseryLink;
import dev.intake.contracts.Topics;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * Links files of the tenant's catalogue to a nursery's batch and lists them. A link is checked
 * against the catalogue (404 for a file the tenant does not have) and the batch as it is
 * (nothing is written when the file is already linked with that type; a full batch takes no new
 * file), then written to {@code intake.nursery-links} in a Kafka transaction; once that commits,
 * every listing on any instance shows it (the status-service reads its store only after it has
 * processed the batch's partition up to the end). Listing is that read, each file named as the
 * catalogue names it now: a file replaced since it was linked (the AnqiCMS attachment upload
 * replaces a file by its id, possibly with another type) is listed under its current name.
 */
final class BatchLinks {

	private static final Log logger = LogFactory.getLog(BatchLinks.class);

	/** How many files' current names one listing looks up at once. */
	private static final int NAME_LOOKUPS = 16;

	private final StatusServiceClient statusService;

	private final KafkaTemplate<String, byte[]> kafka;

	private final JsonMapper json;

	private final Clock clock;

	BatchLinks(StatusServiceClient statusService, KafkaTemplate<String, byte[]> kafka, JsonMapper json, Clock clock) {
		this.statusService = statusService;
		this.kafka = kafka;
		this.json = json;
		this.clock = clock;
	}

	/** One file linked to a batch, as listed. */
	record Linked(long fileId, String fileName, String type, Instant uploadedAt) {
	}

	/** What a link request names. */
	record LinkRequest(long nurseryId, long batchId, long userId, long fileId, String type) {
	}

	/** Links the file; emits it as linked, or errors with the API's problem. */
	Mono<Linked> link(String tenant, LinkRequest request) {
		return file(tenant, request.fileId()).flatMap(file -> linked(tenant, request.nurseryId(), request.batchId())
			.flatMap(linked -> {
				Linked now = new Linked(file.fileId(), file.fileName(), request.type(), file.uploadedAt());
				for (Linked existing : linked) {
					if (existing.fileId() == request.fileId()) {
						// a same-type link changes nothing
						Linked relinked = new Linked(existing.fileId(), file.fileName(), request.type(),
								existing.uploadedAt());
						return existing.type().equals(request.type()) ? Mono.just(relinked)
								: publish(tenant, request, relinked);
					}
				}
				if (linked.size() >= NurseryLink.MAX_PER_BATCH) {
					return Mono.error(NurseryErrors.badRequest(
							"The batch already holds " + NurseryLink.MAX_PER_BATCH + " files, the most it can."));
				}
				return publish(tenant, request, now);
			}));
	}

	/** The batch's files in link order, named as they are now; empty for a batch nothing was linked to. */
	Mono<List<Linked>> list(String tenant, long nurseryId, long batchId) {
		return linked(tenant, nurseryId, batchId).flatMap(links -> Flux.fromIterable(links)
			.flatMapSequential(link -> find(tenant, link.fileId())
				.map(file -> new Linked(link.fileId(), file.fileName(), link.type(), link.uploadedAt()))
				// a file no longer in the catalogue keeps the name it was linked with
				.defaultIfEmpty(link)
				// and so does one the catalogue cannot tell now: the listing does not fail for a name
				.onErrorResume(ex -> {
					logger.debug("Listing nursery batch " + tenant + "/" + nurseryId + "/" + batchId
							+ " with the linked name of file " + link.fileId() + ": " + ex);
					return Mono.just(link);
				}), NAME_LOOKUPS)
			.collectList());
	}

	/** The batch's links as they were written, in link order. */
	private Mono<List<Linked>> linked(String tenant, long nurseryId, long batchId) {
		return statusService.nurseryLinks(tenant, nurseryId, batchId, response -> {
			if (response.statusCode().value() != HttpStatus.OK.value()) {
				return refused(response, "the nursery links answered " + response.statusCode().value());
			}
			return response.bodyToMono(String.class).map(body -> linksOf(json.readTree(body).path("data")));
		}).onErrorMap(ex -> !(ex instanceof dev.intake.api.error.ApiProblem), ex -> {
			logger.warn("Could not list nursery batch " + tenant + "/" + nurseryId + "/" + batchId, ex);
			return NurseryErrors.unavailable("The batch's files cannot be listed right now, please retry.");
		});
	}

	private Mono<Linked> publish(String tenant, LinkRequest request, Linked linked) {
		NurseryLink link = new NurseryLink(tenant, request.nurseryId(), request.batchId(), linked.fileId(),
				linked.fileName(), linked.type(), request.userId(), linked.uploadedAt(), Instant.now(clock));
		String topic = Topics.NURSERY_LINKS.name();
		ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, link.key(),
				Topics.NURSERY_LINKS.valueSerde().serializer().serialize(topic, link));
		return Mono.fromRunnable(() -> kafka.executeInTransaction(operations -> operations.send(record)))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorMap(ex -> {
				logger.warn("Could not publish the link of file " + tenant + "/" + linked.fileId(), ex);
				return NurseryErrors.unavailable("The link cannot be saved right now, please retry.");
			})
			.thenReturn(linked);
	}

	/** The file {@code id} of the tenant, named as it is now; 404 when there is none. */
	private Mono<Linked> file(String tenant, long id) {
		return find(tenant, id).switchIfEmpty(Mono.error(
				() -> NurseryErrors.error(HttpStatus.NOT_FOUND, "No file with file_id " + id + " exists.")));
	}

	/** The file {@code id} of the tenant, named as it is now; empty when there is none. */
	private Mono<Linked> find(String tenant, long id) {
		return statusService.asset(tenant, id, null, response -> switch (response.statusCode().value()) {
			case 200 -> response.bodyToMono(String.class).map(body -> fileOf(json.readTree(body).path("data")));
			case 404 -> response.releaseBody().then(Mono.<Linked>empty());
			default -> refused(response, "the asset catalogue answered " + response.statusCode().value());
		}).onErrorMap(ex -> !(ex instanceof dev.intake.api.error.ApiProblem), ex -> {
			logger.warn("Could not look up file " + tenant + "/" + id, ex);
			return NurseryErrors.unavailable("The file catalogue is temporarily unavailable, please retry.");
		});
	}

	private static <T> Mono<T> refused(ClientResponse response, String message) {
		return response.releaseBody().then(Mono.error(new IllegalStateException(message)));
	}

	private static Linked fileOf(JsonNode asset) {
		String key = asset.path("file").path("key").asString("");
		String stem = asset.path("attributes").path(GeneratedNames.ATTRIBUTE).asString("");
		return new Linked(asset.path("id").asLong(), GeneratedNames.nameOf(stem, key), "",
				instant(asset.path("createdAt")));
	}

	private static List<Linked> linksOf(JsonNode batch) {
		List<Linked> links = new ArrayList<>();
		for (JsonNode link : batch.path("links")) {
			links.add(new Linked(link.path("fileId").asLong(), link.path("fileName").asString(""),
					link.path("type").asString(""), instant(link.path("uploadedAt"))));
		}
		return links;
	}

	/** An instant as Jackson writes it (ISO-8601 text, or seconds with a fraction); null when absent. */
	private static Instant instant(JsonNode value) {
		if (value.isNumber()) {
			return Instant.ofEpochMilli(Math.round(value.asDouble() * 1000));
		}
		try {
			return value.isString() ? Instant.parse(value.stringValue()) : null;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}


}
