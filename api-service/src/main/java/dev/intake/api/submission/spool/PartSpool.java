package dev.intake.api.submission.spool;

import dev.intake.api.submission.upload.UploadMessages;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * One part taken off the network as fast as it arrives, for a thread to read at its own pace (an
 * archive's expanding thread; a file's upload, once it has a slot): each network buffer is copied
 * and released at once, on the thread that delivers it.
 * <p>
 * Why: Spring's multipart reader parses ahead into the next part while a part is still being taken,
 * holding the next part's buffers in a window it has not handed on yet. When the body is then cut
 * off, reactor-core's {@code windowUntil} (3.8) drops such windows without discarding anything, so no
 * hook can release their buffers. A part taken at network speed is always taken whole before the
 * next one begins, so there is no such window behind it.
 * <p>
 * Memory stays flat in the part's size and in the number of spools: copies are kept in the heap up
 * to {@code memoryLimit} bytes while the instance's shared heap budget allows; while the reader lags
 * further behind, or that budget is spent, the bytes go to a temporary file (removed from its
 * directory as soon as it is open where the system allows, as on Linux, else when it is closed; its
 * space is freed when the spool is closed), which is written again from its start each time the
 * reader has caught up. Every byte is read once, in order. {@link #close()} (the reader is done)
 * and {@link #dispose()} (the request is gone) free both; buffers arriving after that are released
 * unread.
 */
public final class PartSpool extends InputStream implements CoreSubscriber<DataBuffer> {

	private final long memoryLimit;

	private final SpoolBudget heap;

	private final Path directory;

	private final Context context;

	private final SpoolBudget disk;

	/** Bytes of {@link #disk} this spool holds: the largest its file has grown. */
	private long diskTaken;

	private final Operators.DeferredSubscription upstream = new Operators.DeferredSubscription();

	private final Object lock = new Object();

	/** Copies not read yet; they come before any bytes in the file. */
	private final Deque<byte[]> chunks = new ArrayDeque<>();

	/** Bytes of the first chunk already read. */
	private int chunkRead;

	private long inMemory;

	private FileChannel file;

	private long fileWritten;

	private long fileRead;

	private boolean done;

	private Throwable error;

	private boolean closed;

	/**
	 * @param memoryLimit bytes this spool keeps in the heap before it writes to a file
	 * @param heap what the spools of this instance may keep in the heap, shared by them: once it is
	 * spent, a spool writes to its file even below its own {@code memoryLimit}
	 * @param directory where that file is created
	 * @param context the context of the request (its discard hooks reach the part's events)
	 * @param disk what the spools of this instance may write to files, shared by them
	 */
	public PartSpool(long memoryLimit, SpoolBudget heap, Path directory, Context context, SpoolBudget disk) {
		this.memoryLimit = memoryLimit;
		this.heap = heap;
		this.directory = directory;
		this.context = context;
		this.disk = disk;
	}

	@Override
	public Context currentContext() {
		return context;
	}

	@Override
	public void onSubscribe(Subscription s) {
		if (upstream.set(s)) {
			upstream.request(Long.MAX_VALUE);
		}
	}

	@Override
	public void onNext(DataBuffer buffer) {
		try {
			synchronized (lock) {
				if (!closed && !done) {
					append(buffer);
					lock.notifyAll();
				}
			}
		}
		catch (IOException ex) {
			onError(new IOException("the part could not be spooled", UploadMessages.busy()));
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	@Override
	public void onError(Throwable t) {
		synchronized (lock) {
			if (!done) {
				done = true;
				error = t;
				lock.notifyAll();
			}
		}
	}

	@Override
	public void onComplete() {
		synchronized (lock) {
			done = true;
			lock.notifyAll();
		}
	}

	/** Keeps {@code buffer}'s bytes: in the heap while they fit and no older bytes wait in the file. */
	private void append(DataBuffer buffer) throws IOException {
		int size = buffer.readableByteCount();
		if (size == 0) {
			return;
		}
		if (fileRead == fileWritten && inMemory + size <= memoryLimit && heap.take(size)) {
			byte[] copy = new byte[size];
			buffer.read(copy);
			chunks.addLast(copy);
			inMemory += size;
			return;
		}
		long grown = fileWritten + size - diskTaken;
		if (grown > 0) {
			if (!disk.take(grown)) {
				throw new IOException("the part spools of this instance are full");
			}
			diskTaken += grown;
		}
		if (file == null) {
			file = createFile();
		}
		try (DataBuffer.ByteBufferIterator views = buffer.readableByteBuffers()) {
			while (views.hasNext()) {
				ByteBuffer view = views.next();
				while (view.hasRemaining()) {
					fileWritten += file.write(view, fileWritten);
				}
			}
		}
	}

	private FileChannel createFile() throws IOException {
		Path path = Files.createTempFile(directory, "intake-part-", ".part");
		try {
			return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
					StandardOpenOption.DELETE_ON_CLOSE);
		}
		catch (IOException | RuntimeException ex) {
			Files.deleteIfExists(path);
			throw ex;
		}
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int read = read(one, 0, 1);
		return (read < 0) ? -1 : one[0] & 0xff;
	}

	@Override
	public int read(byte[] into, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, into.length);
		if (length == 0) {
			return 0;
		}
		long position;
		int wanted;
		FileChannel from;
		synchronized (lock) {
			while (true) {
				if (closed) {
					throw new IOException("the part's spool is closed");
				}
				byte[] chunk = chunks.peekFirst();
				if (chunk != null) {
					int read = Math.min(length, chunk.length - chunkRead);
					System.arraycopy(chunk, chunkRead, into, offset, read);
					chunkRead += read;
					if (chunkRead == chunk.length) {
						chunks.removeFirst();
						chunkRead = 0;
						inMemory -= chunk.length;
						heap.give(chunk.length);
					}
					return read;
				}
				if (fileRead < fileWritten) {
					position = fileRead;
					wanted = (int) Math.min(length, fileWritten - fileRead);
					from = file;
					break;
				}
				if (done) {
					return end();
				}
				try {
					lock.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("interrupted while waiting for the part");
				}
			}
		}
		// the bytes between fileRead and fileWritten are only ever changed by this reader
		int read = from.read(ByteBuffer.wrap(into, offset, wanted), position);
		if (read < 0) {
			throw new IOException("the part's spool file ended early");
		}
		synchronized (lock) {
			fileRead += read;
			if (fileRead == fileWritten) {
				// caught up: the file is written again from its start
				fileRead = 0;
				fileWritten = 0;
			}
		}
		return read;
	}

	/**
	 * Bytes that can be read without waiting for the network (in the heap and in the file), so that a
	 * reader filling a larger buffer (a channel over this stream) takes them at once.
	 */
	@Override
	public int available() {
		synchronized (lock) {
			if (closed) {
				return 0;
			}
			return (int) Math.min(Integer.MAX_VALUE, inMemory - chunkRead + fileWritten - fileRead);
		}
	}

	/** -1 at the part's end; its error (as the multipart reader's stream throws it) if it failed. */
	private int end() throws IOException {
		if (error == null) {
			return -1;
		}
		if (error instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (error instanceof IOException io) {
			throw io;
		}
		throw new IOException(error);
	}

	/** The size of the file the spool writes to, or -1 while it has none open (for tests). */
	long fileSize() throws IOException {
		synchronized (lock) {
			return (file != null) ? file.size() : -1;
		}
	}

	/** The reader is done: frees what is kept; what still arrives is released unread. */
	@Override
	public void close() {
		FileChannel spilled;
		synchronized (lock) {
			closed = true;
			chunks.clear();
			heap.give(inMemory);
			inMemory = 0;
			spilled = file;
			file = null;
			disk.give(diskTaken);
			diskTaken = 0;
			lock.notifyAll();
		}
		if (spilled != null) {
			try {
				spilled.close(); // deletes it
			}
			catch (IOException ex) {
				// nothing left to do: the file is gone or the file system failed
			}
		}
	}

	/** The request is gone: stops taking the part and frees what is kept. */
	public void dispose() {
		upstream.cancel();
		close();
	}

}
