package dev.intake.api.staging;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.reactivestreams.Publisher;

/**
 * The object store a {@link StagingArea} writes to: S3 in the service (the S3 constructors of
 * {@link StagingArea}). Every operation completes its future, exceptionally when the store did
 * not do it; none blocks.
 */
public interface StagingStore {

	/** The bucket the staged objects are in, as jobs name it. */
	String bucket();

	/**
	 * Writes an object whose bytes are all here, {@code size} of them; the store may send them
	 * again on a transient error.
	 */
	CompletableFuture<?> put(String key, String contentType, long size, ByteBuffer[] content);

	/**
	 * Writes an object of unknown size, taking its bytes with the store's own demand; the object
	 * exists only if {@code content} completes, an error from it fails the write.
	 */
	CompletableFuture<?> put(String key, String contentType, Publisher<ByteBuffer> content);

	/** Copies an object inside the store. */
	CompletableFuture<?> copy(String from, String to);

	/**
	 * Deletes objects (at most 1000 at a time); completes with a line for each key it could not
	 * delete ({@code key: reason}), absent keys counting as deleted.
	 */
	CompletableFuture<List<String>> delete(List<String> keys);

}
