package dev.intake.worker.imaging.rendition;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

import dev.intake.contracts.ImageFormat;
import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.Dimensions;
import dev.intake.worker.imaging.ImageHeader;
import dev.intake.worker.imaging.NativeWebp;
import dev.intake.worker.imaging.Orientation;
import dev.intake.worker.imaging.UnreadableImageException;

/**
 * Makes the renditions of a raster image that already passed the header limits: one decode (the
 * header's chosen image — ICO: the largest entry; GIF: the first frame — subsampled so that the
 * largest area the decoder may allocate comes down to about the largest rendition), placed on
 * its canvas (a GIF frame on the logical screen, clipped), orientation applied, alpha flattened
 * onto white, progressive halving (shared by the renditions of the image) then a bilinear draw per
 * rendition, skipped when the decoded image already is the rendition, encoded as JPEG or WebP
 * (the rendition's own format, else the configured one) without metadata by a reused writer.
 * Renditions of the same size and format are encoded once and share their bytes. For JPEG input every decoder warning
 * (truncated file, corrupt data) fails the image. Run it on the {@link DecodePool}; it stops when
 * the pool gives up on it.
 */
public final class RenditionMaker {

	/** One encoded rendition. */
	public record Encoded(RenditionSpec spec, Dimensions size, RenditionFormat format, byte[] bytes) {
	}

	/** The default of {@code intake.worker.max-webp-fallback-pixels}. */
	public static final long DEFAULT_MAX_WEBP_FALLBACK_PIXELS = 1_048_576;

	private final RenditionFormat format;

	private final float quality;

	private final Map<RenditionFormat, RenditionEncoder> encoders = new ConcurrentHashMap<>();

	private final long maxWebpFallbackPixels;

	private final LongConsumer timing;

	/**
	 * @param format the format of renditions that name none
	 * @param maxWebpFallbackPixels largest WebP given to the pure-Java decoder when libwebp's
	 * reader refuses it (animated WebP); it allocates the whole image
	 * @param alsoUsed other formats renditions name; their encoders are tried now, so one that
	 * cannot load on this platform stops start-up rather than failing items
	 */
	public RenditionMaker(RenditionFormat format, float quality, long maxWebpFallbackPixels,
			Collection<RenditionFormat> alsoUsed) {
		this(format, quality, maxWebpFallbackPixels, alsoUsed, nanos -> {
		});
	}

	/** @param timing told how long each {@link #make} that made renditions took, in nanoseconds */
	public RenditionMaker(RenditionFormat format, float quality, long maxWebpFallbackPixels,
			Collection<RenditionFormat> alsoUsed, LongConsumer timing) {
		this.timing = timing;
		this.format = format;
		this.quality = quality;
		this.maxWebpFallbackPixels = maxWebpFallbackPixels;
		encoder(format);
		alsoUsed.forEach(this::encoder);
	}

	public RenditionMaker(RenditionFormat format, float quality, long maxWebpFallbackPixels) {
		this(format, quality, maxWebpFallbackPixels, List.of());
	}

	public RenditionMaker(RenditionFormat format, float quality) {
		this(format, quality, DEFAULT_MAX_WEBP_FALLBACK_PIXELS);
	}

	/** JPEG renditions. */
	public RenditionMaker(float quality) {
		this(RenditionFormat.JPEG, quality);
	}

	/** The format of renditions that name none. */
	public RenditionFormat format() {
		return format;
	}

	private RenditionEncoder encoder(RenditionFormat wanted) {
		return encoders.computeIfAbsent(wanted, f -> new RenditionEncoder(f, quality));
	}

	/** Renditions of an image whose first image fills a canvas of {@code stored}. */
	public List<Encoded> make(Path file, ImageFormat format, Dimensions stored, int orientation,
			List<RenditionSpec> specs, Consumer<Closeable> watch) throws UnreadableImageException {
		return make(file, format, ImageHeader.still(stored), orientation, specs, watch);
	}

	/**
	 * @param header what the header said; its size is before orientation
	 * @throws UnreadableImageException when the pixels cannot be decoded
	 */
	public List<Encoded> make(Path file, ImageFormat format, ImageHeader header, int orientation,
			List<RenditionSpec> specs, Consumer<Closeable> watch) throws UnreadableImageException {
		if (specs.isEmpty() || format == ImageFormat.SVG) {
			return List.of();
		}
		long start = System.nanoTime();
		try {
			return makeNow(file, format, header, orientation, specs, watch);
		}
		finally {
			timing.accept(System.nanoTime() - start);
		}
	}

	private List<Encoded> makeNow(Path file, ImageFormat format, ImageHeader header, int orientation,
			List<RenditionSpec> specs, Consumer<Closeable> watch) throws UnreadableImageException {
		int largest = specs.stream().mapToInt(RenditionSpec::longEdge).max().getAsInt();
		ImageHeader.Region placed = header.placement();
		int biggest = Math.max(Math.max(header.extent().width(), header.extent().height()),
				Math.max(placed.width(), placed.height()));
		int subsampling = Math.max(1, biggest / largest);
		BufferedImage decoded = onCanvas(decode(file, format, header, subsampling, watch), header, subsampling);
		Dimensions displayed = Orientation.displayed(header.size(), orientation);
		List<Encoded> out = new ArrayList<>();
		Map<String, byte[]> done = new HashMap<>();
		List<BufferedImage> halvings = new ArrayList<>(List.of(decoded));
		List<RenditionSpec> bySize = specs.stream().sorted(Comparator.comparingInt(RenditionSpec::longEdge).reversed())
			.toList();
		for (RenditionSpec spec : bySize) {
			DecodePool.checkCancelled();
			Dimensions size = spec.sizeFor(displayed);
			RenditionFormat encoding = spec.formatOr(this.format);
			byte[] bytes = done.get(size + "/" + encoding);
			if (bytes == null) {
				RenditionEncoder encoder = encoder(encoding);
				boolean swap = Orientation.swapsSides(orientation);
				BufferedImage source = halveTowards(halvings, swap ? size.height() : size.width(),
						swap ? size.width() : size.height());
				bytes = encoder.encode(asDisplayed(source, orientation, size, encoder.imageType()));
				done.put(size + "/" + encoding, bytes);
			}
			out.add(new Encoded(spec, size, encoding, bytes));
		}
		// back in the configured order
		out.sort(Comparator.comparingInt(e -> specs.indexOf(e.spec())));
		return out;
	}

	private BufferedImage decode(Path file, ImageFormat format, ImageHeader header, int subsampling,
			Consumer<Closeable> watch) throws UnreadableImageException {
		if (format != ImageFormat.WEBP) {
			return decode(file, format, header.image(), subsampling, watch);
		}
		try {
			return NativeWebp.decode(file, header.size(), subsampling, watch);
		}
		catch (UnreadableImageException ex) {
			DecodePool.checkCancelled();
			if (header.extent().pixels() > maxWebpFallbackPixels) {
				throw new UnreadableImageException(ex.getMessage() + "; too large for the pure-Java decoder", ex);
			}
			return decode(file, format, header.image(), subsampling, watch);
		}
	}

	private static BufferedImage decode(Path file, ImageFormat format, int index, int subsampling,
			Consumer<Closeable> watch) throws UnreadableImageException {
		List<String> warnings = new ArrayList<>();
		try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
			watch.accept(in);
			ImageReader reader = DimensionReader.readerFor(in, format);
			watch.accept(reader::abort);
			try {
				reader.setInput(in, index == 0, true);
				if (format == ImageFormat.JPEG) {
					reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
				}
				ImageReadParam param = reader.getDefaultReadParam();
				param.setSourceSubsampling(subsampling, subsampling, 0, 0);
				BufferedImage image = reader.read(index, param);
				DecodePool.checkCancelled();
				if (!warnings.isEmpty()) {
					throw new UnreadableImageException("JPEG decoder warning: " + warnings.get(0));
				}
				return image;
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new UnreadableImageException("cannot decode the " + format + " pixels: " + ex, ex);
		}
	}

	/**
	 * The decoded image where its header places it on its canvas, both subsampled alike; what
	 * lies outside the canvas is clipped, what it leaves uncovered is transparent.
	 */
	private static BufferedImage onCanvas(BufferedImage decoded, ImageHeader header, int subsampling) {
		if (header.placement().covers(header.size())) {
			return decoded;
		}
		ImageHeader.Region placed = header.placement();
		int width = Math.max(1, ceilDiv(header.size().width(), subsampling));
		int height = Math.max(1, ceilDiv(header.size().height(), subsampling));
		BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
		Graphics2D g = canvas.createGraphics();
		try {
			g.drawImage(decoded, placed.x() / subsampling, placed.y() / subsampling, null);
		}
		finally {
			g.dispose();
		}
		return canvas;
	}

	private static int ceilDiv(int a, int b) {
		return (a + b - 1) / b;
	}

	/**
	 * The image as displayed at {@code size} on an opaque canvas of {@code imageType}: the image
	 * itself when it already is exactly that, else drawn.
	 */
	private static BufferedImage asDisplayed(BufferedImage source, int orientation, Dimensions size, int imageType) {
		if (orientation <= 1 && source.getType() == imageType && source.getWidth() == size.width()
				&& source.getHeight() == size.height()) {
			return source;
		}
		return Orientation.draw(source, orientation, size.width(), size.height(), imageType);
	}

	/**
	 * The smallest of the image's successive halvings that is still at least the target (the
	 * last draw then samples well): {@code halvings} starts with the decoded image and keeps every
	 * halving made, so renditions of one image share them.
	 */
	private static BufferedImage halveTowards(List<BufferedImage> halvings, int targetWidth, int targetHeight)
			throws UnreadableImageException {
		int level = 0;
		while (true) {
			BufferedImage current = halvings.get(level);
			if (current.getWidth() < 2 * targetWidth || current.getHeight() < 2 * targetHeight) {
				return current;
			}
			DecodePool.checkCancelled();
			if (level + 1 == halvings.size()) {
				halvings.add(half(current));
			}
			level++;
		}
	}

	/** Each side halved: a bilinear draw at exactly half samples the mean of each 2×2 block. */
	private static BufferedImage half(BufferedImage current) {
		int w = Math.max(1, current.getWidth() / 2);
		int h = Math.max(1, current.getHeight() / 2);
		BufferedImage half = new BufferedImage(w, h,
				current.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		Graphics2D g = half.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.drawImage(current, 0, 0, w, h, null);
		g.dispose();
		return half;
	}

}
