package dev.intake.status;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads a Server-Sent Events stream on a background thread: {@link #next} gives the next event
 * or comment, {@link #END} once the server ended the stream.
 */
final class EventStreamClient implements AutoCloseable {

	/** What {@link #next} returns once the stream ended. */
	static final String END = "<end>";

	private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

	private final HttpResponse<Stream<String>> response;

	private final Thread reader;

	private EventStreamClient(HttpResponse<Stream<String>> response) {
		this.response = response;
		this.reader = new Thread(this::read, "sse-reader");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	static EventStreamClient open(HttpClient http, URI uri) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build();
		return new EventStreamClient(http.send(request, HttpResponse.BodyHandlers.ofLines()));
	}

	int status() {
		return response.statusCode();
	}

	String contentType() {
		return response.headers().firstValue("Content-Type").orElse("");
	}

	/** The next event as its lines joined by '\n' ("event:status\ndata:{…}"), a comment line, or END. */
	String next(Duration patience) throws InterruptedException {
		String item = received.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
		if (item == null) {
			throw new AssertionError("nothing received within " + patience);
		}
		return item;
	}

	/** The next event that is not a comment. */
	String nextEvent(Duration patience) throws InterruptedException {
		String item;
		do {
			item = next(patience);
		}
		while (item.startsWith(":"));
		return item;
	}

	private void read() {
		StringBuilder event = new StringBuilder();
		try (Stream<String> lines = response.body()) {
			lines.forEach(line -> {
				if (line.startsWith(":")) {
					received.add(line);
				}
				else if (line.isEmpty()) {
					if (!event.isEmpty()) {
						received.add(event.toString());
						event.setLength(0);
					}
				}
				else {
					event.append(event.isEmpty() ? "" : "\n").append(line);
				}
			});
			if (!event.isEmpty()) {
				// a body that is not an event stream (an error answer) has no closing blank line
				received.add(event.toString());
			}
		}
		catch (RuntimeException ex) {
			// the connection was closed by close()
		}
		received.add(END);
	}

	@Override
	public void close() {
		reader.interrupt();
		response.body().close();
	}

}
