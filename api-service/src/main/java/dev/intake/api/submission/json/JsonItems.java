package dev.intake.api.submission.json;

import dev.intake.api.submission.upload.UploadMessages;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.intake.api.staging.StagingArea.Staged;
import dev.intake.api.submission.json.SubmitEvent.DataEnd;
import dev.intake.api.submission.json.SubmitEvent.Item;
import dev.intake.api.submission.upload.UploadForm.AcceptedUpload;
import dev.intake.contracts.BatchKey;
import dev.intake.contracts.BlobRef;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ItemIds;
import dev.intake.contracts.ItemSource;
import dev.intake.contracts.SubmittedItem;

/**
 * The items of a JSON submit, checked one by one as their objects close: a {@code url} item must
 * carry an absolute http(s) URL (workers fetch it, safely, later); a {@code base64} item must have
 * been staged whole and within the size limit. Items without an {@code image_name} are named after
 * the URL's last path segment or {@code image-<position>.<ext>}.
 */
final class JsonItems {

	static final String URL = "url";

	static final String BASE64 = "base64";

	private final long maxImageSize;

	private final int maxUrlLength;

	private final List<SubmittedItem> items = new ArrayList<>();

	private final List<Item> pending = new ArrayList<>();

	private final List<StagedData> data = new ArrayList<>();

	JsonItems(long maxImageSize, int maxUrlLength) {
		this.maxImageSize = maxImageSize;
		this.maxUrlLength = maxUrlLength;
	}

	/** Checks one item; {@code staged} is its staged Base64 value, if it had one. */
	void add(Item item, StagedData staged) {
		int position = item.index() + 1;
		if (item.type() == null) {
			throw SubmitMessages.missingType(position);
		}
		switch (item.type()) {
			case URL -> {
				if (item.url() == null) {
					throw SubmitMessages.missingField(position, URL, URL);
				}
				if (item.hasData()) {
					throw SubmitMessages.unexpectedField(position, URL, "data");
				}
				checkUrl(position, item.url());
			}
			case BASE64 -> {
				if (!item.hasData()) {
					throw SubmitMessages.missingField(position, BASE64, "data");
				}
				if (item.url() != null) {
					throw SubmitMessages.unexpectedField(position, BASE64, URL);
				}
				if (staged == null || staged.end() == null) {
					throw UploadMessages.storageUnavailable();
				}
				String name = nameOf(item, staged);
				DataEnd end = staged.end();
				if (end.invalid()) {
					throw SubmitMessages.invalidBase64(position, name);
				}
				if (end.tooLarge() || staged.staged().tooLarge()) {
					throw UploadMessages.imageTooLarge(position, name, end.size(), maxImageSize);
				}
				if (staged.staged().failed()) {
					throw UploadMessages.storageUnavailable();
				}
			}
			default -> throw SubmitMessages.unknownType(position, item.type());
		}
		pending.add(item);
		data.add(staged);
	}

	/** The batch, once every item passed. */
	AcceptedUpload accept(String tenant, String bucket, String batchId) {
		if (pending.isEmpty()) {
			throw SubmitMessages.emptyItemList();
		}
		String id = batchId;
		if (!BatchKey.isValidBatchId(id)) {
			throw UploadMessages.invalidBatchId();
		}
		BatchKey key = new BatchKey(tenant, id);
		for (int i = 0; i < pending.size(); i++) {
			Item item = pending.get(i);
			StagedData staged = data.get(i);
			String name = nameOf(item, staged);
			ItemSource source = (staged == null) ? new ItemSource.Remote(item.url())
					: new ItemSource.Staged(new BlobRef(bucket, staged.key(), staged.end().size(), staged.contentType()),
							name);
			items.add(new SubmittedItem(item.index(), ItemIds.of(key, item.index()), name, source));
		}
		return new AcceptedUpload(key, List.copyOf(items));
	}

	private void checkUrl(int position, String url) {
		if (url.length() > maxUrlLength) {
			throw SubmitMessages.urlTooLong(position, maxUrlLength);
		}
		try {
			URI uri = new URI(url);
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
				throw SubmitMessages.invalidUrl(position);
			}
		}
		catch (URISyntaxException ex) {
			throw SubmitMessages.invalidUrl(position);
		}
	}

	private static String nameOf(Item item, StagedData staged) {
		if (item.name() != null && !item.name().isBlank()) {
			return item.name();
		}
		if (staged == null) {
			String path = URI.create(item.url()).getPath();
			String last = (path != null) ? path.substring(path.lastIndexOf('/') + 1) : "";
			return last.isEmpty() ? item.url() : last;
		}
		String extension = "";
		for (ImageFormat format : ImageFormat.values()) {
			if (format.contentType().equals(staged.contentType())) {
				extension = "." + format.extension();
			}
		}
		return "image-" + (item.index() + 1) + extension;
	}

	/** A staged Base64 value: where it is, what its prefix declared, how staging and decoding went. */
	record StagedData(String key, String contentType, Staged staged, DataEnd end) {
	}

}
