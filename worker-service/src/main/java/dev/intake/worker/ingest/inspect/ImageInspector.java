package dev.intake.worker.ingest.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.intake.contracts.DocumentFormat;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.IngestImage;
import dev.intake.contracts.LogSafe;
import dev.intake.worker.documents.DocumentSniffer;
import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.DecodeTimeoutException;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.FormatSniffer;
import dev.intake.worker.imaging.ImageHeader;
import dev.intake.worker.imaging.Orientation;
import dev.intake.worker.imaging.PixelLimit;
import dev.intake.worker.imaging.UnreadableImageException;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.imaging.rendition.RenditionSpec;
import dev.intake.worker.imaging.svg.SvgActiveContentException;
import dev.intake.worker.imaging.svg.SvgDoctypeException;
import dev.intake.worker.ingest.InvalidJobException;
import dev.intake.worker.ingest.ItemFailures;
import dev.intake.worker.ingest.TransientFailure;

/**
 * Checks a downloaded file before anything is stored: the bytes decide the format, the header
 * gives the size and frame count, and the pixel and frame limits are applied before any pixel
 * is decoded. Then the one full decode gives the EXIF orientation (so the size is as displayed)
 * and every rendition of the job's profile. Both steps run on the {@link DecodePool}, under its
 * deadline.
 * <p>
 * Bytes that are no image are refused, unless the job allows documents: then a file of the
 * allowed {@link DocumentFormat}s ({@link DocumentSniffer}) is accepted as it is, except when
 * its name says it is an image (a PDF called {@code scan.jpg} is refused as an image).
 */
public class ImageInspector {

	private static final Log logger = LogFactory.getLog(ImageInspector.class);

	private final DimensionReader dimensions;

	private final PixelLimit limit;

	private final int maxFrames;

	private final DecodePool pool;

	private final RenditionMaker renditions;

	/** Extensions of image formats Intake does not take, beside those of {@link ImageFormat}. */
	private static final Set<String> OTHER_IMAGE_EXTENSIONS = Set.of("jpe", "jfif", "pjpeg", "pjp", "apng", "svgz",
			"heic", "heif", "avif", "jxl", "jp2");

	private final RenditionProfiles profiles;

	private final Set<DocumentFormat> documents;

	private final String failDecodeOf;

	private final String holdDecodeOf;

	private final String haltDecodeOf;

	/** Images only, with one (default) profile of these renditions. */
	public ImageInspector(DimensionReader dimensions, PixelLimit limit, int maxFrames, DecodePool pool,
			RenditionMaker renditions, List<RenditionSpec> specs) {
		this(dimensions, limit, maxFrames, pool, renditions, RenditionProfiles.only(specs), Set.of(), null);
	}

	/**
	 * @param documents the document formats accepted from jobs that allow documents
	 * @param failDecodeOf test hook ({@code intake.worker.fault-injection.fail-decode-of}): the
	 * decode of an item with this file name throws, as a decoder bug would; null for none
	 */
	public ImageInspector(DimensionReader dimensions, PixelLimit limit, int maxFrames, DecodePool pool,
			RenditionMaker renditions, RenditionProfiles profiles, Set<DocumentFormat> documents,
			String failDecodeOf) {
		this(dimensions, limit, maxFrames, pool, renditions, profiles, documents, failDecodeOf, null);
	}

	/**
	 * @param holdDecodeOf test hook ({@code intake.worker.fault-injection.hold-decode-of}): the
	 * decode of an item with this file name waits, after logging {@value #HOLDING}, until the
	 * worker is stopped, so a test can kill the worker in the middle of that item; null for none
	 */
	public ImageInspector(DimensionReader dimensions, PixelLimit limit, int maxFrames, DecodePool pool,
			RenditionMaker renditions, RenditionProfiles profiles, Set<DocumentFormat> documents,
			String failDecodeOf, String holdDecodeOf) {
		this(dimensions, limit, maxFrames, pool, renditions, profiles, documents, failDecodeOf, holdDecodeOf, null);
	}

	/**
	 * @param haltDecodeOf test hook ({@code intake.worker.fault-injection.halt-decode-of}): the
	 * decode of an item with this file name halts the JVM ({@code Runtime.halt}), as a native crash
	 * in a decoder would; null for none
	 */
	public ImageInspector(DimensionReader dimensions, PixelLimit limit, int maxFrames, DecodePool pool,
			RenditionMaker renditions, RenditionProfiles profiles, Set<DocumentFormat> documents,
			String failDecodeOf, String holdDecodeOf, String haltDecodeOf) {
		this.haltDecodeOf = (haltDecodeOf == null || haltDecodeOf.isBlank()) ? null : haltDecodeOf;
		this.failDecodeOf = (failDecodeOf == null || failDecodeOf.isBlank()) ? null : failDecodeOf;
		this.holdDecodeOf = (holdDecodeOf == null || holdDecodeOf.isBlank()) ? null : holdDecodeOf;
		this.dimensions = dimensions;
		this.limit = limit;
		this.maxFrames = maxFrames;
		this.pool = pool;
		this.renditions = renditions;
		this.profiles = profiles;
		this.documents = Set.copyOf(documents);
	}

	/**
	 * The renditions of the job's profile.
	 * @throws InvalidJobException when this worker has no profile of that name
	 */
	public List<RenditionSpec> renditionsOf(IngestImage job) {
		String name = job.options().renditionProfile();
		return profiles.find(name).orElseThrow(() -> new InvalidJobException(
				"unknown rendition profile '" + LogSafe.text(name) + "'; this worker has " + profiles.names()));
	}

	public Inspection inspect(IngestImage job, Path file, Instant now) {
		List<RenditionSpec> specs = renditionsOf(job);
		Optional<ImageFormat> sniffed = sniff(file);
		if (sniffed.isEmpty()) {
			return job.options().documents() ? document(job, file, now)
					: new Inspection.Refused(ItemFailures.unsupportedFormat(job, now));
		}
		ImageFormat format = sniffed.get();
		ImageHeader header;
		try {
			header = pool.run(watch -> dimensions.header(file, format, maxFrames, watch));
		}
		catch (UnreadableImageException ex) {
			logger.debug("Item " + LogSafe.text(job.itemId()) + " is not a readable " + format + ": "
					+ LogSafe.text(ex.getMessage()));
			if (ex instanceof DecodeTimeoutException) {
				return new Inspection.Refused(ItemFailures.decodeTimeout(job, format, pool.timeout(), now));
			}
			if (ex instanceof SvgActiveContentException active) {
				return new Inspection.Refused(ItemFailures.svgActiveContent(job, active.getMessage(), now));
			}
			return new Inspection.Refused((ex instanceof SvgDoctypeException) ? ItemFailures.svgDoctype(job, now)
					: ItemFailures.corrupt(job, format, now));
		}
		if (limit.sideTooLong(header.extent())) {
			return new Inspection.Refused(ItemFailures.sideTooLong(job, header.extent(), limit.maxSide(), now));
		}
		if (!limit.allows(header.extent())) {
			return new Inspection.Refused(ItemFailures.tooManyPixels(job, header.extent(), limit.maxPixels(), now));
		}
		if (header.frames() > maxFrames) {
			return new Inspection.Refused(ItemFailures.tooManyFrames(job, maxFrames, now));
		}
		return derive(job, file, format, header, specs, now);
	}

	/** A file that is no image, for a job that allows documents. */
	private Inspection document(IngestImage job, Path file, Instant now) {
		String extension = ImageFormat.extensionOf(ItemFailures.declaredName(job));
		if (ImageFormat.forExtension(extension).isPresent()
				|| OTHER_IMAGE_EXTENSIONS.contains(extension.toLowerCase(Locale.ROOT))) {
			return new Inspection.Refused(ItemFailures.unsupportedFormat(job, now));
		}
		Optional<DocumentFormat> format;
		try {
			format = DocumentSniffer.sniff(file, extension, documents);
		}
		catch (IOException ex) {
			throw new TransientFailure("reading the downloaded file failed: " + ex.getMessage(), ex);
		}
		return format.<Inspection>map(Inspection.Document::new)
			.orElseGet(() -> new Inspection.Refused(ItemFailures.unsupportedFile(job, now)));
	}

	/** Orientation and renditions: the one full decode, on the pool and under its deadline. */
	private Inspection derive(IngestImage job, Path file, ImageFormat format, ImageHeader header,
			List<RenditionSpec> specs, Instant now) {
		if (holdDecodeOf != null && holdDecodeOf.equals(ItemFailures.displayName(job))) {
			hold(job);
		}
		try {
			return pool.run(watch -> {
				if (haltDecodeOf != null && haltDecodeOf.equals(ItemFailures.displayName(job))) {
					logger.warn(HALTING + " " + LogSafe.text(haltDecodeOf) + " (item " + LogSafe.text(job.itemId())
							+ "): intake.worker.fault-injection.halt-decode-of");
					Runtime.getRuntime().halt(HALT_STATUS);
				}
				if (failDecodeOf != null && failDecodeOf.equals(ItemFailures.displayName(job))) {
					throw new IllegalStateException("decoder failure injected by intake.worker.fault-injection.fail-decode-of");
				}
				int orientation = Orientation.read(file, format);
				List<RenditionMaker.Encoded> encoded = renditions.make(file, format, header, orientation, specs,
						watch);
				return new Inspection.Accepted(format, Orientation.displayed(header.size(), orientation),
						header.frames(), encoded);
			});
		}
		catch (UnreadableImageException ex) {
			logger.debug("Item " + LogSafe.text(job.itemId()) + " cannot be decoded as " + format + ": "
					+ LogSafe.text(ex.getMessage()));
			return new Inspection.Refused((ex instanceof DecodeTimeoutException)
					? ItemFailures.decodeTimeout(job, format, pool.timeout(), now)
					: ItemFailures.corrupt(job, format, now));
		}
	}

	/** What the worker logs just before {@code halt-decode-of} halts it. */
	static final String HALTING = "Halting the worker in the decode of";

	/** The exit status of a worker halted by {@code halt-decode-of} (as a SIGABRT would leave it). */
	static final int HALT_STATUS = 134;

	/** What the worker logs when {@code hold-decode-of} holds an item. */
	static final String HOLDING = "Holding the decode of";

	/** The hook's wait: on the job's thread, outside the decode pool and its deadline. */
	private void hold(IngestImage job) {
		logger.warn(HOLDING + " " + LogSafe.text(holdDecodeOf) + " (item " + LogSafe.text(job.itemId())
				+ ") until the worker is stopped: intake.worker.fault-injection.hold-decode-of");
		try {
			Thread.sleep(Long.MAX_VALUE);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TransientFailure("the held decode was interrupted", ex);
		}
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
