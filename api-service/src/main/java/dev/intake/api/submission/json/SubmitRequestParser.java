package dev.intake.api.submission.json;

import dev.intake.api.submission.upload.UploadMessages;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.intake.api.submission.json.JsonScanner.StringMode;
import dev.intake.api.submission.json.SubmitEvent.Body;
import dev.intake.api.submission.json.SubmitEvent.DataChunk;
import dev.intake.api.submission.json.SubmitEvent.DataEnd;
import dev.intake.api.submission.json.SubmitEvent.DataStart;
import dev.intake.api.submission.json.SubmitEvent.Item;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * Reads the shape of a JSON submit body, {@code {"batch_id": …, "items": [{"type": …, "url": …,
 * "data": …, "image_name": …}, …]}}, from {@link JsonScanner}'s tokens and turns it into
 * {@link SubmitEvent}s. Unknown fields are skipped; a known field of the wrong kind, a repeated
 * field or an item past the batch limit rejects the request. Each {@code data} value is decoded
 * while it streams through, so the parser holds at most one network buffer's worth of it.
 */
final class SubmitRequestParser implements JsonScanner.Handler {

	private static final String ITEMS = "items";

	private static final String BATCH_ID = "batch_id";

	private static final String CALLBACK_URL = "callback_url";

	private static final String DATA = "data";

	private static final Set<String> ITEM_STRINGS = Set.of("type", "url", "image_name");

	private final int maxImages;

	private final long maxImageSize;

	private final List<SubmitEvent> events = new ArrayList<>();

	private final Set<String> rootKeys = new HashSet<>();

	private final Set<String> itemKeys = new HashSet<>();

	private int depth;

	private int skipDepth = -1;

	private String rootKey;

	private String itemKey;

	private String batchId;

	private String callbackUrl;

	private int items;

	private String type;

	private String url;

	private String name;

	private Base64Data data;

	private boolean dataStarted;

	SubmitRequestParser(int maxImages, long maxImageSize) {
		this.maxImages = maxImages;
		this.maxImageSize = maxImageSize;
	}

	/** The events made since the last call. */
	List<SubmitEvent> takeEvents() {
		List<SubmitEvent> taken = List.copyOf(events);
		events.clear();
		return taken;
	}

	@Override
	public void startObject() {
		if (!skipping()) {
			switch (depth) {
				case 0 -> {
				}
				case 2 -> startItem();
				default -> wrongKind();
			}
		}
		depth++;
	}

	@Override
	public void startArray() {
		if (!skipping()) {
			if (depth == 1 && ITEMS.equals(rootKey)) {
				rootKeys.add(ITEMS);
			}
			else {
				wrongKind();
			}
		}
		depth++;
	}

	@Override
	public void endObject() {
		depth--;
		if (endSkip()) {
			return;
		}
		if (depth == 0) {
			events.add(new Body(batchId, items, callbackUrl));
		}
		else if (depth == 2) {
			events.add(new Item(items - 1, type, url, name, data != null));
		}
	}

	@Override
	public void endArray() {
		depth--;
		endSkip();
	}

	@Override
	public void key(String key) {
		if (skipping()) {
			return;
		}
		if (depth == 1) {
			rootKey = key;
			if (isRootField(key) && rootKeys.contains(key)) {
				throw SubmitMessages.repeatedField(key);
			}
		}
		else if (depth == 3) {
			itemKey = key;
			if (!itemKeys.add(key) && (DATA.equals(key) || ITEM_STRINGS.contains(key))) {
				throw SubmitMessages.repeatedItemField(items, key);
			}
		}
	}

	@Override
	public StringMode startString() {
		if (skipping() || (depth == 1 && !isRootField(rootKey)) || (depth == 3 && !isItemField(itemKey))) {
			return StringMode.SKIP;
		}
		if (depth == 1 && (BATCH_ID.equals(rootKey) || CALLBACK_URL.equals(rootKey))) {
			return StringMode.COLLECT;
		}
		if (depth == 3 && DATA.equals(itemKey)) {
			data = new Base64Data(maxImageSize);
			dataStarted = false;
			return StringMode.STREAM;
		}
		if (depth == 3) {
			return StringMode.COLLECT;
		}
		wrongKind();
		return StringMode.SKIP;
	}

	@Override
	public void string(String value) {
		if (depth == 1) {
			rootKeys.add(rootKey);
			if (CALLBACK_URL.equals(rootKey)) {
				callbackUrl = value;
			}
			else {
				batchId = value;
			}
			return;
		}
		switch (itemKey) {
			case "type" -> type = value;
			case "url" -> url = value;
			default -> name = value;
		}
	}

	@Override
	public void streamed(byte[] bytes, int from, int to) {
		data.accept(bytes, from, to);
		announceData();
	}

	@Override
	public void streamedChar(char c) {
		data.accept(c);
		announceData();
	}

	@Override
	public void endStreamed() {
		boolean valid = data.finish();
		announceData();
		flushData();
		events.add(new DataEnd(items - 1, data.size(), data.tooLarge(), !valid));
	}

	@Override
	public void literal(String token) {
		if (skipping() || (depth == 1 && !isRootField(rootKey)) || (depth == 3 && !isItemField(itemKey))) {
			return;
		}
		if ("null".equals(token)
				&& (depth == 3 || (depth == 1 && (BATCH_ID.equals(rootKey) || CALLBACK_URL.equals(rootKey))))) {
			if (depth == 1) {
				rootKeys.add(rootKey);
			}
			return; // a null field is a missing one
		}
		wrongKind();
	}

	@Override
	public void endOfInput() {
		if (data != null && dataStarted) {
			flushData();
		}
	}

	private void startItem() {
		if (items >= maxImages) {
			throw UploadMessages.tooManyImages(maxImages);
		}
		items++;
		itemKeys.clear();
		type = null;
		url = null;
		name = null;
		data = null;
		itemKey = null;
	}

	/** A value where this shape has none: rejected when it is a known field, otherwise skipped. */
	private void wrongKind() {
		if (depth == 0) {
			throw SubmitMessages.bodyNotObject();
		}
		if (depth == 1 && ITEMS.equals(rootKey)) {
			throw SubmitMessages.itemsNotArray();
		}
		if (depth == 1 && BATCH_ID.equals(rootKey)) {
			throw SubmitMessages.batchIdNotString();
		}
		if (depth == 1 && CALLBACK_URL.equals(rootKey)) {
			throw SubmitMessages.callbackUrlNotString();
		}
		if (depth == 2) {
			throw SubmitMessages.itemNotObject(items + 1);
		}
		if (depth == 3 && isItemField(itemKey)) {
			throw SubmitMessages.itemFieldNotString(items, itemKey);
		}
		skipDepth = depth;
	}

	private static boolean isRootField(String key) {
		return ITEMS.equals(key) || BATCH_ID.equals(key) || CALLBACK_URL.equals(key);
	}

	private static boolean isItemField(String key) {
		return DATA.equals(key) || ITEM_STRINGS.contains(key);
	}

	private boolean skipping() {
		return skipDepth >= 0;
	}

	/** Whether the container that just closed was skipped (or lay inside a skipped one). */
	private boolean endSkip() {
		if (!skipping()) {
			return false;
		}
		if (depth == skipDepth) {
			skipDepth = -1;
		}
		return true;
	}

	private void announceData() {
		if (!dataStarted && data.started()) {
			dataStarted = true;
			events.add(new DataStart(items - 1, data.contentType()));
		}
	}

	private void flushData() {
		byte[] chunk = data.drain();
		if (chunk != null) {
			events.add(new DataChunk(DefaultDataBufferFactory.sharedInstance.wrap(chunk)));
		}
	}

}
