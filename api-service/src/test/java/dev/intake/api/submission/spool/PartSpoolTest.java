package dev.intake.api.submission.spool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import dev.intake.api.error.ApiProblem;
import dev.intake.contracts.ApiError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An archive part spooled at network speed reads back byte for byte, from the heap and past its
 * heap budget from a file that is gone once the spool is closed, and every network buffer is
 * released once, as it arrives.
 */
@Timeout(30)
class PartSpoolTest {

	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(Unpooled.buffer().alloc());

	@TempDir
	Path directory;

	private final List<ByteBuf> reads = new ArrayList<>();

	@Test
	void aPartWithinTheHeapBudgetReadsBackWithoutAFile() throws IOException {
		byte[] part = bytes(3000);
		PartSpool spool = spool(4096);
		networkReads(part, 700).subscribe(spool);
		assertReleased();
		assertThat(spool.fileSize()).isEqualTo(-1);
		assertThat(readAll(spool, 64)).isEqualTo(part);
		spool.close();
	}

	@Test
	void aPartPastTheHeapBudgetIsReadBackFromAFileThatCloseDeletes() throws IOException {
		byte[] part = bytes(50_000);
		PartSpool spool = spool(4096);
		networkReads(part, 1500).subscribe(spool);
		assertReleased();
		assertThat(spool.fileSize()).isEqualTo(50_000 - 2 * 1500);
		assertThat(readAll(spool, 1000)).isEqualTo(part);
		spool.close();
		assertThat(spool.fileSize()).isEqualTo(-1);
		assertThat(files()).isEmpty();
	}

	@Test
	void tellsWhatCanBeReadWithoutWaiting() throws IOException {
		Sinks.Many<DataBuffer> network = Sinks.many().unicast().onBackpressureBuffer();
		PartSpool spool = spool(2048);
		network.asFlux().subscribe(spool);
		byte[] part = bytes(5000);
		network.tryEmitNext(read(part, 0, 1500));
		network.tryEmitNext(read(part, 1500, 3500)); // past the heap budget: in the file
		assertThat(spool.available()).isEqualTo(5000);
		assertThat(spool.readNBytes(1000)).isEqualTo(Arrays.copyOf(part, 1000));
		assertThat(spool.available()).isEqualTo(4000);
		assertThat(spool.readNBytes(4000)).isEqualTo(Arrays.copyOfRange(part, 1000, 5000));
		assertThat(spool.available()).isZero();
		network.tryEmitComplete();
		spool.close();
		assertThat(spool.available()).isZero();
		assertReleased();
	}

	@Test
	void aReaderThatCatchesUpWritesTheFileAgainFromItsStart() throws IOException {
		Sinks.Many<DataBuffer> network = Sinks.many().unicast().onBackpressureBuffer();
		PartSpool spool = spool(2048);
		network.asFlux().subscribe(spool);
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		ByteArrayOutputStream sent = new ByteArrayOutputStream();
		for (int round = 0; round < 5; round++) {
			byte[] chunk = bytes(10_000 + round);
			sent.write(chunk);
			for (int at = 0; at < chunk.length; at += 1000) {
				network.tryEmitNext(read(chunk, at, Math.min(1000, chunk.length - at)));
			}
			read.write(spool.readNBytes(chunk.length));
			// behind by one round at most: the file never holds more than that
			assertThat(spool.fileSize()).isBetween(1L, 10_004L);
		}
		network.tryEmitComplete();
		assertThat(spool.read()).isEqualTo(-1);
		assertThat(read.toByteArray()).isEqualTo(sent.toByteArray());
		assertReleased();
		spool.close();
		assertThat(spool.fileSize()).isEqualTo(-1);
		assertThat(files()).isEmpty();
	}

	@Test
	void aCutOffPartReadsItsBytesThenThrowsTheReadersError() throws IOException {
		byte[] part = bytes(9000);
		ApiProblem cutOff = new ApiProblem(HttpStatus.REQUEST_TIMEOUT, ApiError.REQUEST_TIMEOUT, "cut off");
		PartSpool spool = spool(4096);
		Flux.concat(networkReads(part, 1500), Flux.error(cutOff)).subscribe(spool);
		assertThat(spool.readNBytes(part.length)).isEqualTo(part);
		assertThat(catchThrowable(spool::read)).isSameAs(cutOff);
		assertReleased();
		spool.close();
		assertThat(files()).isEmpty();
	}

	@Test
	void aDisposedSpoolStopsTakingThePartAndReleasesWhatStillArrives() throws IOException {
		Sinks.Many<DataBuffer> network = Sinks.many().unicast().onBackpressureBuffer();
		AtomicBoolean cancelled = new AtomicBoolean();
		PartSpool spool = spool(1024);
		network.asFlux().doOnCancel(() -> cancelled.set(true)).subscribe(spool);
		byte[] part = bytes(5000);
		network.tryEmitNext(read(part, 0, 5000));
		assertThat(spool.fileSize()).isEqualTo(5000);
		spool.dispose();
		assertThat(cancelled).isTrue();
		assertThat(spool.fileSize()).isEqualTo(-1);
		assertThat(files()).isEmpty();
		assertThat(catchThrowable(spool::read)).isInstanceOf(IOException.class);
		// a read already on its way when the part was cancelled
		DataBuffer late = read(part, 0, 100);
		spool.onNext(late);
		assertReleased();
	}

	@Test
	void spoolsShareTheirDiskAndAPartPastItFailsAsBusy() throws IOException {
		SpoolBudget disk = new SpoolBudget(10_000);
		PartSpool first = spool(1024, disk);
		// 1,000 bytes in the heap, 6,000 in the file
		networkReads(bytes(7000), 1000).subscribe(first);
		assertThat(disk.taken()).isEqualTo(6000);
		byte[] part = bytes(7001);
		PartSpool second = spool(1024, disk);
		networkReads(part, 1000).subscribe(second);
		// 1,000 in the heap, 4,000 in the file beside the first part's 6,000; the rest did not fit
		assertThat(disk.taken()).isEqualTo(10_000);
		assertReleased();
		assertThat(second.readNBytes(5000)).isEqualTo(Arrays.copyOf(part, 5000));
		Throwable full = catchThrowable(second::read);
		assertThat(full).isInstanceOf(IOException.class).hasRootCauseInstanceOf(ApiProblem.class);
		assertThat(((ApiProblem) full.getCause()).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		second.close();
		first.close();
		first.close();
		assertThat(disk.taken()).isZero();
		assertThat(files()).isEmpty();
	}

	@Test
	void spoolsShareTheirHeapAndOneBeyondItWritesToItsFile() throws IOException {
		SpoolBudget heap = new SpoolBudget(1500);
		SpoolBudget disk = new SpoolBudget(Long.MAX_VALUE);
		PartSpool first = new PartSpool(1024, heap, directory, Context.empty(), disk);
		byte[] firstPart = bytes(1000);
		networkReads(firstPart, 500).subscribe(first);
		assertThat(heap.taken()).isEqualTo(1000);
		assertThat(first.fileSize()).isEqualTo(-1);

		// its own limit would keep 1,000 bytes in the heap, but only 500 of the shared budget are left
		PartSpool second = new PartSpool(1024, heap, directory, Context.empty(), disk);
		byte[] secondPart = bytes(1001);
		networkReads(secondPart, 500).subscribe(second);
		assertThat(heap.taken()).isEqualTo(1500);
		assertThat(disk.taken()).isEqualTo(501);
		assertReleased();

		// bytes read give their heap back
		assertThat(first.readNBytes(500)).isEqualTo(Arrays.copyOf(firstPart, 500));
		assertThat(heap.taken()).isEqualTo(1000);
		assertThat(readAll(second, 100)).isEqualTo(secondPart);
		assertThat(heap.taken()).isEqualTo(500);
		// and so does a spool closed before its reader took everything
		first.close();
		second.close();
		assertThat(heap.taken()).isZero();
		assertThat(disk.taken()).isZero();
		assertThat(files()).isEmpty();
	}

	@Test
	void aFileWrittenAgainFromItsStartTakesNoMoreDisk() throws IOException {
		SpoolBudget disk = new SpoolBudget(3000);
		Sinks.Many<DataBuffer> network = Sinks.many().unicast().onBackpressureBuffer();
		PartSpool spool = spool(1000, disk);
		network.asFlux().subscribe(spool);
		for (int round = 0; round < 4; round++) {
			// 1,000 bytes in the heap, 3,000 in the file, every round
			byte[] chunk = bytes(4000);
			for (int at = 0; at < chunk.length; at += 1000) {
				network.tryEmitNext(read(chunk, at, Math.min(1000, chunk.length - at)));
			}
			assertThat(spool.readNBytes(chunk.length)).isEqualTo(chunk);
		}
		assertThat(disk.taken()).isEqualTo(3000);
		network.tryEmitComplete();
		assertThat(spool.read()).isEqualTo(-1);
		spool.close();
		assertThat(disk.taken()).isZero();
	}

	@Test
	void aReaderWaitingForBytesIsWokenByThem() throws Exception {
		Sinks.Many<DataBuffer> network = Sinks.many().unicast().onBackpressureBuffer();
		PartSpool spool = spool(1024);
		network.asFlux().subscribe(spool);
		byte[] part = bytes(3000);
		Thread sender = new Thread(() -> {
			for (int at = 0; at < part.length; at += 300) {
				try {
					Thread.sleep(5);
				}
				catch (InterruptedException ex) {
					return;
				}
				network.tryEmitNext(read(part, at, 300));
			}
			network.tryEmitComplete();
		});
		sender.start();
		assertThat(readAll(spool, 128)).isEqualTo(part);
		sender.join();
		assertReleased();
		spool.close();
	}

	private PartSpool spool(long memory) {
		return spool(memory, new SpoolBudget(Long.MAX_VALUE));
	}

	private PartSpool spool(long memory, SpoolBudget disk) {
		return new PartSpool(memory, new SpoolBudget(Long.MAX_VALUE), directory, Context.empty(), disk);
	}

	private Flux<DataBuffer> networkReads(byte[] part, int size) {
		List<DataBuffer> buffers = new ArrayList<>();
		for (int at = 0; at < part.length; at += size) {
			buffers.add(read(part, at, Math.min(size, part.length - at)));
		}
		return Flux.fromIterable(buffers);
	}

	/** A network read; the test keeps no reference, so a released one has a count of 0. */
	private synchronized DataBuffer read(byte[] part, int at, int size) {
		ByteBuf read = Unpooled.copiedBuffer(part, at, size);
		reads.add(read);
		return BUFFERS.wrap(read);
	}

	private synchronized void assertReleased() {
		assertThat(reads).extracting(ByteBuf::refCnt).containsOnly(0);
	}

	private static byte[] readAll(InputStream in, int chunk) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[chunk];
		int read;
		while ((read = in.read(buffer)) >= 0) {
			out.write(buffer, 0, read);
		}
		return out.toByteArray();
	}

	private static byte[] bytes(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

	private List<Path> files() throws IOException {
		try (Stream<Path> listed = Files.list(directory)) {
			return listed.toList();
		}
	}

}
