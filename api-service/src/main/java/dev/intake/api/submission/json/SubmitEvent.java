package dev.intake.api.submission.json;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * What {@link SubmitRequestParser} makes of a JSON submit body, in order. A Base64 value arrives
 * as {@link DataStart}, any number of {@link DataChunk}s and {@link DataEnd}; the item it belongs
 * to follows as an {@link Item} once the item's object has closed.
 */
sealed interface SubmitEvent {

	/** A Base64 value of the item at {@code index} begins; contentType from its data: prefix, or null. */
	record DataStart(int index, String contentType) implements SubmitEvent {
	}

	/** Decoded bytes of the current Base64 value. */
	record DataChunk(DataBuffer content) implements SubmitEvent {
	}

	/** The Base64 value ended: its decoded size (counted from its length) and whether it was usable. */
	record DataEnd(int index, long size, boolean tooLarge, boolean invalid) implements SubmitEvent {
	}

	/** An item's object closed; fields it did not have are null. */
	record Item(int index, String type, String url, String name, boolean hasData) implements SubmitEvent {
	}

	/** The body's object closed; batchId is null when not given. */
	record Body(String batchId, int items, String callbackUrl) implements SubmitEvent {
	}

}
