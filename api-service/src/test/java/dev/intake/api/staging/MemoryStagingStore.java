package dev.intake.api.staging;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A staging store in this JVM's memory, for the parsers' fuzz targets: they test what reads the
 * request, not S3, and must run an input in milliseconds. Objects exist once their bytes have all
 * arrived; a streamed object is read one buffer at a time, as an upload with bounded demand reads
 * it. Not for data larger than the heap.
 */
public final class MemoryStagingStore implements StagingStore {

	private final String bucket;

	private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();

	public MemoryStagingStore(String bucket) {
		this.bucket = bucket;
	}

	/** What is stored now, by key. */
	public Map<String, StoredObject> objects() {
		return Map.copyOf(objects);
	}

	@Override
	public String bucket() {
		return bucket;
	}

	@Override
	public CompletableFuture<?> put(String key, String contentType, long size, ByteBuffer[] content) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (ByteBuffer buffer : content) {
			append(bytes, buffer);
		}
		if (bytes.size() != size) {
			return CompletableFuture
				.failedFuture(new IllegalArgumentException(key + ": " + bytes.size() + " bytes given as " + size));
		}
		objects.put(key, new StoredObject(contentType, bytes.toByteArray()));
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public CompletableFuture<?> put(String key, String contentType, Publisher<ByteBuffer> content) {
		CompletableFuture<Void> stored = new CompletableFuture<>();
		content.subscribe(new Subscriber<>() {

			private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

			private Subscription subscription;

			@Override
			public void onSubscribe(Subscription subscription) {
				this.subscription = subscription;
				subscription.request(1);
			}

			@Override
			public void onNext(ByteBuffer buffer) {
				append(bytes, buffer);
				subscription.request(1);
			}

			@Override
			public void onError(Throwable error) {
				stored.completeExceptionally(error);
			}

			@Override
			public void onComplete() {
				objects.put(key, new StoredObject(contentType, bytes.toByteArray()));
				stored.complete(null);
			}

		});
		return stored;
	}

	@Override
	public CompletableFuture<?> copy(String from, String to) {
		StoredObject object = objects.get(from);
		if (object == null) {
			return CompletableFuture.failedFuture(new NoSuchElementException("no object " + from));
		}
		objects.put(to, object);
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public CompletableFuture<List<String>> delete(List<String> keys) {
		keys.forEach(objects::remove);
		return CompletableFuture.completedFuture(List.of());
	}

	private static void append(ByteArrayOutputStream bytes, ByteBuffer buffer) {
		ByteBuffer view = buffer.duplicate();
		byte[] chunk = new byte[view.remaining()];
		view.get(chunk);
		bytes.write(chunk, 0, chunk.length);
	}

	/** A stored object: its content type and bytes. */
	public record StoredObject(String contentType, byte[] bytes) {
	}

}
