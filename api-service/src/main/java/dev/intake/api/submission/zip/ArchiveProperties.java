package dev.intake.api.submission.zip;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * ZIP archives in submit-with-files ({@code intake.archive.*}); entries are limited like files by
 * {@code intake.upload.*}.
 *
 * @param maxConcurrent archives expanded at once by this instance (each holds a thread); more wait
 * @param maxQueued archives waiting for an expanding thread; one more is answered 503 (busy)
 * @param maxCentralDirectorySize largest central directory checked (the end of each archive is
 * kept in memory up to this size while it streams through); larger ones are refused
 * @param maxSpoolSize disk all spooled parts of this instance may take at once: archives while their
 * expansion lags behind the network, files while they wait for an upload slot (past 256 KB of heap
 * per part, or {@code max-spool-memory} for all of them, in {@code java.io.tmpdir}); a part that would
 * take more is answered 503 (busy)
 * @param maxSpoolMemory heap all spooled parts of this instance may take at once (each at most 256
 * KB); once it is spent, spools write to their files, so the heap stays flat however many
 * connections send parts that wait
 */
@Validated
@ConfigurationProperties("intake.archive")
public record ArchiveProperties(@DefaultValue("4") @Min(1) int maxConcurrent, @DefaultValue("100") @Min(1) int maxQueued,
		@DefaultValue("1MB") DataSize maxCentralDirectorySize, @DefaultValue("2GB") DataSize maxSpoolSize,
		@DefaultValue("32MB") DataSize maxSpoolMemory) {

}
