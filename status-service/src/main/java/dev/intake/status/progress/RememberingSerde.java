package dev.intake.status.progress;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of the progress store: hands back the value it last wrote or read for the same bytes
 * instead of parsing them again (the aggregate and look-ups mostly read what was just written). A
 * hit needs equal bytes, so it returns only what the bytes say; values must be immutable, since
 * the Streams thread and look-ups share them. Bounded ({@code capacity} written, half as many
 * parsed) and synchronized.
 */
final class RememberingSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

	private final Serde<T> delegate;

	/** What was written: the aggregate reads it back for the batch's next result. */
	private final Map<Bytes, T> written;

	/**
	 * What was parsed, apart, so that look-ups of many other batches never push out what the
	 * aggregate needs.
	 */
	private final Map<Bytes, T> parsed;

	RememberingSerde(Serde<T> delegate, int capacity) {
		this.delegate = delegate;
		this.written = lru(capacity);
		this.parsed = lru(Math.max(1, capacity / 2));
	}

	private static <T> Map<Bytes, T> lru(int capacity) {
		return new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<Bytes, T> eldest) {
				return size() > capacity;
			}
		};
	}

	@Override
	public byte[] serialize(String topic, T value) {
		byte[] bytes = delegate.serializer().serialize(topic, value);
		if (bytes != null) {
			// a copy: whoever receives the array may reuse it
			Bytes key = new Bytes(bytes.clone());
			synchronized (this) {
				written.put(key, value);
			}
		}
		return bytes;
	}

	@Override
	public T deserialize(String topic, byte[] bytes) {
		if (bytes == null) {
			return null;
		}
		Bytes key = new Bytes(bytes);
		T known;
		synchronized (this) {
			known = written.get(key);
			if (known == null) {
				known = parsed.get(key);
			}
		}
		if (known != null) {
			return known;
		}
		T value = delegate.deserializer().deserialize(topic, bytes);
		if (value != null) {
			// a batch looked up again and again after it finished is parsed once, not per look-up
			Bytes copy = new Bytes(bytes.clone(), key.hash);
			synchronized (this) {
				parsed.put(copy, value);
			}
		}
		return value;
	}

	/** Values remembered right now (written and parsed). */
	int size() {
		synchronized (this) {
			return written.size() + parsed.size();
		}
	}

	@Override
	public Serializer<T> serializer() {
		return this;
	}

	@Override
	public Deserializer<T> deserializer() {
		return this;
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
		delegate.configure(configs, isKey);
	}

	@Override
	public void close() {
		delegate.close();
	}

	/**
	 * A byte array compared by content. Its hash samples at most ~300 bytes (length, a stride
	 * through the array, the tail), since hashing every byte of a large batch cost about as much
	 * as parsing it; equal hashes are then confirmed by a full (vectorized) comparison.
	 */
	private static final class Bytes {

		private static final int SAMPLES = 256;

		private static final int TAIL = 32;

		private final byte[] bytes;

		private final int hash;

		Bytes(byte[] bytes) {
			this(bytes, sampledHash(bytes));
		}

		Bytes(byte[] bytes, int hash) {
			this.bytes = bytes;
			this.hash = hash;
		}

		static int sampledHash(byte[] bytes) {
			int hash = bytes.length;
			int stride = Math.max(1, bytes.length / SAMPLES);
			for (int i = 0; i < bytes.length; i += stride) {
				hash = 31 * hash + bytes[i];
			}
			for (int i = Math.max(0, bytes.length - TAIL); i < bytes.length; i++) {
				hash = 31 * hash + bytes[i];
			}
			return hash;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Bytes that && hash == that.hash && Arrays.equals(bytes, that.bytes);
		}

		@Override
		public int hashCode() {
			return hash;
		}

	}

}
