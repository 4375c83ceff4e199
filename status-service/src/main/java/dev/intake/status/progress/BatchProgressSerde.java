package dev.intake.status.progress;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.intake.contracts.JsonSerde;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The JSON of a {@link BatchProgress}, as {@link JsonSerde} reads it, written item by item: an item
 * the batch's previous value already held (the same instance at the same position) is copied as
 * the bytes written then, so a result costs one item's serialisation, not the whole batch's.
 * Remembers the last {@code capacity} batches written; synchronized since a task may move
 * between stream threads.
 */
final class BatchProgressSerde implements Serde<BatchProgress>, Serializer<BatchProgress> {

	private static final byte[] ITEMS_OPEN = "{\"items\":[".getBytes(StandardCharsets.UTF_8);

	private static final byte[] ITEMS_CLOSE = "],".getBytes(StandardCharsets.UTF_8);

	private final JsonSerde<BatchProgress> json = new JsonSerde<>(BatchProgress.class);

	private final JsonSerde<ItemProgress> items = new JsonSerde<>(ItemProgress.class);

	private final JsonSerde<Header> headers = new JsonSerde<>(Header.class);

	private final Map<String, Written> written;

	BatchProgressSerde(int capacity) {
		this.written = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
				return size() > capacity;
			}
		};
	}

	@Override
	public byte[] serialize(String topic, BatchProgress progress) {
		if (progress == null) {
			return null;
		}
		String batch = progress.tenant() + "/" + progress.batchId();
		Written before;
		synchronized (written) {
			before = written.get(batch);
		}
		List<ItemProgress> now = progress.items();
		byte[][] itemBytes = new byte[now.size()][];
		int size = ITEMS_OPEN.length + Math.max(0, now.size() - 1) + ITEMS_CLOSE.length;
		for (int i = 0; i < itemBytes.length; i++) {
			ItemProgress item = now.get(i);
			itemBytes[i] = (before != null && before.holds(i, item)) ? before.bytes[i] : items.serialize(topic, item);
			size += itemBytes[i].length;
		}
		byte[] header = headers.serialize(topic, Header.of(progress));
		// one array of the exact size, filled once: the value is ~100 KB for a 300-item batch
		byte[] out = new byte[size + header.length - 1];
		int at = put(ITEMS_OPEN, out, 0);
		for (int i = 0; i < itemBytes.length; i++) {
			if (i > 0) {
				out[at++] = ',';
			}
			at = put(itemBytes[i], out, at);
		}
		at = put(ITEMS_CLOSE, out, at);
		// the header's own object, without its opening brace: its fields follow the items
		System.arraycopy(header, 1, out, at, header.length - 1);
		if (progress.tenant() != null) {
			synchronized (written) {
				written.put(batch, new Written(now, itemBytes));
			}
		}
		return out;
	}

	private static int put(byte[] bytes, byte[] into, int at) {
		System.arraycopy(bytes, 0, into, at, bytes.length);
		return at + bytes.length;
	}

	@Override
	public Serializer<BatchProgress> serializer() {
		return this;
	}

	@Override
	public Deserializer<BatchProgress> deserializer() {
		return json;
	}

	@Override
	public void configure(Map<String, ?> configs, boolean isKey) {
	}

	@Override
	public void close() {
	}

	/** Batches whose items are remembered right now. */
	int size() {
		synchronized (written) {
			return written.size();
		}
	}

	/** Every field of a {@link BatchProgress} but its items, under the same names. */
	record Header(String tenant, String batchId, boolean submitted, Instant submittedAt, List<ItemProgress> unmatched,
			int retryRound, @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean internal) {

		static Header of(BatchProgress progress) {
			return new Header(progress.tenant(), progress.batchId(), progress.submitted(), progress.submittedAt(),
					progress.unmatched(), progress.retryRound(), progress.internal());
		}

	}

	/** The items of a batch's last written value, and the bytes each was written as. */
	private record Written(List<ItemProgress> items, byte[][] bytes) {

		boolean holds(int position, ItemProgress item) {
			return position < items.size() && items.get(position) == item;
		}

	}

}
