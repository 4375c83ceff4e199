package dev.intake.api.submission.upload;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of multipart batch uploads ({@code intake.upload.*}).
 *
 * @param maxImages files accepted per batch
 * @param maxImageSize largest image accepted
 * @param maxConcurrentUploads files staged to S3 at the same time by this instance; more wait
 * @param uploadWaitTimeout longest a file waits for a staging slot before the request is answered
 * 503
 * @param maxPartSize largest multipart part read at all; an oversize image is read (and discarded)
 * up to this size so the error can state its real size
 * @param maxFormFieldSize largest text field ({@code image_names}, {@code batch_id})
 * @param maxPartHeaderSize largest header block of one part
 * @param maxDrainSize once a request is rejected, how many more bytes are read and discarded so the
 * client, still sending, receives the answer; past it the connection is dropped
 * @param maxBufferedUploads content of files read to their end whose upload is still running,
 * held in memory by this instance at most; while it is used up, a request's next file is read
 * only once the previous one is stored (so a request's files are staged side by side, up to
 * {@code maxConcurrentUploads}, as long as they are small)
 * @param maxUnauthenticatedUploads of the {@code maxConcurrentUploads} slots, how many files may
 * be staged at once before their credential is read (an API whose credential is a form field the
 * client may send after the file); more wait, so anonymous uploads never take every slot
 */
@Validated
@ConfigurationProperties("intake.upload")
public record UploadProperties(@DefaultValue("300") @Min(1) @Max(10_000) int maxImages,
		@DefaultValue("10MB") DataSize maxImageSize, @DefaultValue("16") @Min(1) int maxConcurrentUploads,
		@DefaultValue("30s") Duration uploadWaitTimeout, @DefaultValue("256MB") DataSize maxPartSize,
		@DefaultValue("64KB") DataSize maxFormFieldSize, @DefaultValue("16KB") DataSize maxPartHeaderSize,
		@DefaultValue("32MB") DataSize maxDrainSize, @DefaultValue("32MB") DataSize maxBufferedUploads,
		@DefaultValue("8") @Min(1) int maxUnauthenticatedUploads) {

	/** Parts the multipart reader accepts: a file and a name per image, plus a few fields. */
	public int maxParts() {
		return 2 * maxImages + 10;
	}

	@AssertTrue(message = "max-part-size must be at least max-image-size")
	boolean isPartSizeAtLeastImageSize() {
		return maxPartSize.toBytes() >= maxImageSize.toBytes();
	}

}
