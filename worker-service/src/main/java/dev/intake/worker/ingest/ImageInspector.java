package dev.intake.worker.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.IngestImage;
import dev.intake.worker.LogSafe;
import dev.intake.worker.imaging.Dimensions;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.FormatSniffer;
import dev.intake.worker.imaging.PixelLimit;
import dev.intake.worker.imaging.SvgDoctypeException;
import dev.intake.worker.imaging.UnreadableImageException;

/**
 * Checks a downloaded image before anything is stored: the bytes decide the format, the header
 * gives the size, and the pixel limit is applied before any pixel is decoded. Where later
 * decoding steps (orientation, renditions) will hook in.
 */
class ImageInspector {

	private static final Log logger = LogFactory.getLog(ImageInspector.class);

	private final DimensionReader dimensions;

	private final PixelLimit limit;

	ImageInspector(DimensionReader dimensions, PixelLimit limit) {
		this.dimensions = dimensions;
		this.limit = limit;
	}

	Inspection inspect(IngestImage job, Path file, Instant now) {
		Optional<ImageFormat> sniffed = sniff(file);
		if (sniffed.isEmpty()) {
			return new Inspection.Refused(ItemFailures.unsupportedFormat(job, now));
		}
		ImageFormat format = sniffed.get();
		Dimensions size;
		try {
			size = dimensions.read(file, format);
		}
		catch (UnreadableImageException ex) {
			logger.debug("Item " + LogSafe.text(job.itemId()) + " is not a readable " + format + ": "
					+ LogSafe.text(ex.getMessage()));
			return new Inspection.Refused((ex instanceof SvgDoctypeException) ? ItemFailures.svgDoctype(job, now)
					: ItemFailures.corrupt(job, format, now));
		}
		if (limit.sideTooLong(size)) {
			return new Inspection.Refused(ItemFailures.sideTooLong(job, size, limit.maxSide(), now));
		}
		if (!limit.allows(size)) {
			return new Inspection.Refused(ItemFailures.tooManyPixels(job, size, limit.maxPixels(), now));
		}
		return new Inspection.Accepted(format, size);
	}

	private static Optional<ImageFormat> sniff(Path file) {
		try {
			return FormatSniffer.sniff(file);
		}
		catch (IOException ex) {
			throw new TransientFailure("reading the downloaded file failed: " + ex.getMessage(), ex);
		}
	}

}
