package dev.intake.api.submission.multipart;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ApiError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;

import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request body as a server receives it, for tests that every buffer is released exactly once:
 * network reads in heap buffers whose pieces share one reference count, as the pieces of one read
 * do. The test keeps a reference of its own to each read, so a second release shows as a count of
 * 0 where 1 is due, and a missed one as 2.
 */
public final class NetworkReads {

	/** The multipart boundary of {@link #formRequest}. */
	public static final String BOUNDARY = "b";

	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(Unpooled.buffer().alloc());

	private final List<ByteBuf> reads = new ArrayList<>();

	/** {@code body} in reads of {@code size} bytes. */
	public NetworkReads(String body, int size) {
		byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
		for (int at = 0; at < bytes.length; at += size) {
			reads.add(Unpooled.copiedBuffer(bytes, at, Math.min(size, bytes.length - at)));
		}
	}

	/** A form part {@code name} with a file of {@code size} bytes, not closed: the body goes on after it. */
	public static String filePart(String name, String filename, int size) {
		return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + "x".repeat(size) + "\r\n";
	}

	/** The end of a form. */
	public static String end() {
		return "--" + BOUNDARY + "--\r\n";
	}

	/** The error a body deadline cuts a body off with. */
	public static ApiProblem cutOff() {
		return new ApiProblem(HttpStatus.REQUEST_TIMEOUT, ApiError.REQUEST_TIMEOUT, "cut off");
	}

	/**
	 * The reads as the server hands them over, each once with a reference of its own; a read never
	 * asked for stays with the server (a closed connection releases it).
	 */
	/** How many network reads the body is sent in. */
	public int count() {
		return reads.size();
	}

	public Flux<DataBuffer> body() {
		return Flux.fromIterable(reads).map(read -> BUFFERS.wrap(read.retain()));
	}

	/** The reads, then {@link #cutOff()}. */
	public Flux<DataBuffer> cutOffBody() {
		return Flux.concat(body(), Flux.error(cutOff()));
	}

	/** A multipart request with {@code body}. */
	public static MockServerHttpRequest formRequest(String path, Flux<DataBuffer> body) {
		return MockServerHttpRequest.post(path)
			.contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + BOUNDARY))
			.body(body);
	}

	/** {@code request}'s events as the service's reader (with these limits) parses them. */
	public static Flux<PartEvent> events(MockServerHttpRequest request, HttpMessageReader<PartEvent> reader) {
		return reader.read(ResolvableType.forClass(PartEvent.class), request, Map.of());
	}

	/** Spring's multipart event reader as {@code codecs} configure it. */
	public static HttpMessageReader<PartEvent> reader(ServerCodecConfigurer codecs) {
		@SuppressWarnings("unchecked")
		HttpMessageReader<PartEvent> partEvents = codecs.getReaders()
			.stream()
			.filter(PartEventHttpMessageReader.class::isInstance)
			.map(reader -> (HttpMessageReader<PartEvent>) reader)
			.findFirst()
			.orElseThrow();
		return partEvents;
	}

	/**
	 * Within a few seconds (an archive's expansion lets go of its buffers on its own thread), every
	 * read handed over was released once and the others not at all.
	 */
	public void assertReleasedOnce() {
		assertReleasedOnce("");
	}

	/** {@link #assertReleasedOnce()}, the failure naming {@code what}. */
	public void assertReleasedOnce(String what) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(reads).extracting(ByteBuf::refCnt)
				.as("references left per read %s", what)
				.containsOnly(1));
	}

}
