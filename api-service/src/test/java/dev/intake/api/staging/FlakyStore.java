package dev.intake.api.staging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A loopback HTTP proxy in front of a real S3 server that fails the first object PUTs it sees,
 * the way a store does under load: each failing PUT is answered 503 {@code SlowDown} (after its
 * body was read) or has its connection dropped, depending on the {@link Fault}. Everything else,
 * and every PUT once the failures are used up, is passed through byte for byte (headers included,
 * so signatures stay valid).
 */
public final class FlakyStore implements AutoCloseable {

	/** How a failing PUT fails. */
	public enum Fault {

		/** 503 with the S3 {@code SlowDown} error, the body read first. */
		SLOW_DOWN,

		/** 500 with the S3 {@code InternalError} error, the body read first. */
		INTERNAL_ERROR,

		/** The connection closed without an answer. */
		DROP

	}

	private final URI target;

	private final HttpClient upstream = HttpClient.create();

	private final DisposableServer server;

	private final AtomicInteger failuresLeft = new AtomicInteger();

	private volatile Fault fault = Fault.SLOW_DOWN;

	private volatile long minBytes;

	/** The keys of every object PUT the proxy received, failed or passed, in arrival order. */
	private final List<String> puts = new CopyOnWriteArrayList<>();

	public FlakyStore(URI target) {
		this.target = target;
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow();
	}

	/** Fails the next {@code count} object PUTs with {@code fault}. */
	public FlakyStore failNextPuts(int count, Fault fault) {
		return failNextPuts(count, fault, 0);
	}

	/** Fails the next {@code count} object PUTs of at least {@code minBytes} with {@code fault}. */
	public FlakyStore failNextPuts(int count, Fault fault, long minBytes) {
		this.fault = fault;
		this.minBytes = minBytes;
		this.failuresLeft.set(count);
		return this;
	}

	/** Failures not used up yet. */
	public int failuresLeft() {
		return Math.max(0, this.failuresLeft.get());
	}

	/** Keys of the object PUTs received (failed ones included). */
	public List<String> puts() {
		return List.copyOf(this.puts);
	}

	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.server.port());
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		boolean objectPut = request.method().equals(HttpMethod.PUT) && request.path().contains("/")
				&& !request.uri().contains("uploadId=") && !request.requestHeaders().contains("x-amz-copy-source");
		if (objectPut) {
			this.puts.add(request.path());
			if (declaredLength(request) >= this.minBytes && this.failuresLeft.getAndDecrement() > 0) {
				return fail(request, response);
			}
		}
		return this.upstream.headers(headers -> headers.set(request.requestHeaders()))
			.request(request.method())
			.uri(this.target.resolve(request.uri()).toString())
			.send(request.receive().retain())
			.responseSingle((answer, body) -> body.asByteArray()
				.defaultIfEmpty(new byte[0])
				.flatMap(bytes -> response.status(answer.status())
					.headers(answer.responseHeaders())
					.sendByteArray(Mono.just(bytes))
					.then()))
			.then();
	}

	/** The object's length as the request declares it (signed chunked bodies declare it apart). */
	private static long declaredLength(HttpServerRequest request) {
		String decoded = request.requestHeaders().get("x-amz-decoded-content-length");
		String length = (decoded != null) ? decoded : request.requestHeaders().get("Content-Length");
		return (length != null) ? Long.parseLong(length) : Long.MAX_VALUE;
	}

	private Mono<Void> fail(HttpServerRequest request, HttpServerResponse response) {
		return switch (this.fault) {
			case DROP -> Mono.fromRunnable(() -> request.withConnection(Connection::dispose));
			case SLOW_DOWN -> error(request, response, 503, "SlowDown", "Please reduce your request rate.");
			case INTERNAL_ERROR -> error(request, response, 500, "InternalError", "We encountered an internal error.");
		};
	}

	private static Mono<Void> error(HttpServerRequest request, HttpServerResponse response, int status, String code,
			String message) {
		byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
				+ "</Message></Error>")
			.getBytes(StandardCharsets.UTF_8);
		return request.receive()
			.then()
			.then(response.status(status)
				.header("Content-Type", "application/xml")
				.header("Content-Length", Integer.toString(xml.length))
				.sendByteArray(Mono.just(xml))
				.then());
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
