package dev.intake.api.submission.zip;

import dev.intake.api.staging.StagedObjects;
import dev.intake.api.staging.StagingArea;
import dev.intake.api.staging.UploadSlots;
import dev.intake.api.submission.upload.StagedFile;
import dev.intake.api.submission.upload.UploadMessages;
import dev.intake.api.submission.upload.UploadProperties;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.zip.CRC32;

import dev.intake.contracts.ImageFormat;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * Stages one archive entry at a time, from the blocking archive thread: takes the next item index,
 * holds a staging slot, and streams the entry to the staging area through a stream that stops one
 * byte past the size limit (so a zip bomb inflates no further) and computes the CRC-32 as it goes.
 * Like a multipart file, an entry read to its end whose bytes fit the buffer budget is stored in
 * the background, holding its slot, while the next entry is read (see
 * {@link StagedObjects#stored()}); so entries are stored side by side, up to the slots.
 */
public final class EntryStager {

	private static final int CHUNK = 64 * 1024;

	private final String archive;

	private final long limit;

	private final Duration slotWait;

	private final UploadSlots slots;

	private final Scheduler readers;

	private final IntSupplier nextIndex;

	private final IntFunction<String> keyOf;

	private final StagedObjects staged;

	public EntryStager(String archive, UploadProperties limits, UploadSlots slots, Scheduler readers,
			IntSupplier nextIndex, IntFunction<String> keyOf, StagedObjects staged) {
		this.archive = archive;
		this.limit = limits.maxImageSize().toBytes();
		this.slotWait = limits.uploadWaitTimeout();
		this.slots = slots;
		this.readers = readers;
		this.nextIndex = nextIndex;
		this.keyOf = keyOf;
		this.staged = staged;
	}

	long limit() {
		return limit;
	}

	/** Stages the entry the archive stream is positioned at, reading at most limit + 1 bytes of it. */
	Staged stage(InputStream archiveStream, String path, String name) {
		int index = nextIndex.getAsInt();
		String key = keyOf.apply(index);
		String contentType = ImageFormat.forExtension(ImageFormat.extensionOf(name))
			.map(ImageFormat::contentType)
			.orElseThrow();
		UploadSlots.Slot slot = slots.acquire(slotWait).block();
		if (slot == null) {
			throw UploadMessages.busy();
		}
		Bounded entry = new Bounded(archiveStream, limit + 1);
		Flux<DataBuffer> content = DataBufferUtils
			.readInputStream(() -> entry, DefaultDataBufferFactory.sharedInstance, CHUNK)
			.subscribeOn(readers);
		// the slot is released by staging: once the entry is stored, or read if it fits the buffer budget
		StagingArea.Staged staged = this.staged.stage(key, contentType, content, limit, slots, slot).block();
		if (staged.tooLarge()) {
			return new Staged(null, true, 0);
		}
		if (staged.failed()) {
			throw UploadMessages.storageUnavailable();
		}
		StagedFile file = new StagedFile(index, name, contentType, key, staged.size(), archive, path);
		return new Staged(file, false, entry.crc.getValue());
	}

	/** How staging one entry went: the staged file, or tooLarge; crc of the bytes read. */
	record Staged(StagedFile file, boolean tooLarge, long crc) {
	}

	/** At most {@code max} bytes of the entry; never closes the archive stream. */
	private static final class Bounded extends FilterInputStream {

		private final CRC32 crc = new CRC32();

		private long remaining;

		Bounded(InputStream in, long max) {
			super(in);
			this.remaining = max;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			if (remaining <= 0) {
				return -1;
			}
			int read;
			try {
				read = super.read(bytes, offset, (int) Math.min(length, remaining));
			}
			catch (RuntimeException ex) {
				// the ZIP reader's own failure on a hostile entry (one whose method it accepted but
				// cannot inflate): a broken archive; the multipart reader's errors stay findable as causes
				throw new IOException("the ZIP reader failed", ex);
			}
			if (read > 0) {
				remaining -= read;
				crc.update(bytes, offset, read);
			}
			return read;
		}

		@Override
		public void close() {
		}

	}

}
