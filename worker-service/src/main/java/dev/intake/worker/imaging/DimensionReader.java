package dev.intake.worker.imaging;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

import dev.intake.contracts.ImageFormat;
import dev.intake.worker.imaging.structure.GifStructure;
import dev.intake.worker.imaging.structure.IcoStructure;
import dev.intake.worker.imaging.structure.TiffStructure;
import dev.intake.worker.imaging.svg.SvgDimensions;

/**
 * Reads an image's width and height from its header, without decoding pixels: ImageIO readers
 * (the JDK's plus TwelveMonkeys for WEBP, ICO, TIFF and JPEG) for raster formats, a StAX read of
 * the root element for SVG. Thread-safe; each call uses its own reader.
 */
public final class DimensionReader {

	private static final Map<ImageFormat, List<ImageReaderSpi>> PROVIDERS = new ConcurrentHashMap<>();

	public DimensionReader() {
		// plugins packed in a nested (Boot) jar may be missed by the registry's first scan
		ImageIO.scanForPlugins();
		PROVIDERS.clear();
	}

	/**
	 * The size of the image in {@code file}, whose format has already been sniffed.
	 * @throws UnreadableImageException if the header cannot be read or states a non-positive size
	 */
	public Dimensions read(Path file, ImageFormat format) throws UnreadableImageException {
		return header(file, format, Integer.MAX_VALUE - 1, stream -> {
		}).size();
	}

	/**
	 * The header of the image in {@code file}, whose format has already been sniffed: size,
	 * the extent the pixel limits apply to, and the frame count (GIF frames, TIFF pages),
	 * counted up to one past {@code maxFrames}. Never decodes pixels.
	 * @param watch receives every stream opened, so a deadline can close it
	 * @throws UnreadableImageException if the header cannot be read or states a non-positive size
	 */
	public ImageHeader header(Path file, ImageFormat format, int maxFrames, Consumer<Closeable> watch)
			throws UnreadableImageException {
		ImageHeader header = switch (format) {
			case SVG -> ImageHeader.still(SvgDimensions.read(file));
			case GIF -> {
				readRaster(file, format, watch);
				yield GifStructure.read(file, maxFrames);
			}
			case ICO -> {
				readRaster(file, format, watch);
				yield IcoStructure.read(file);
			}
			case TIFF -> {
				Dimensions size = readRaster(file, format, watch);
				yield new ImageHeader(size, size, TiffStructure.countDirectories(file, maxFrames));
			}
			default -> ImageHeader.still(readRaster(file, format, watch));
		};
		for (Dimensions size : new Dimensions[] { header.size(), header.extent() }) {
			if (size.width() <= 0 || size.height() <= 0) {
				throw new UnreadableImageException("non-positive size " + size);
			}
		}
		return header;
	}

	private static Dimensions readRaster(Path file, ImageFormat format, Consumer<Closeable> watch)
			throws UnreadableImageException {
		if (providers(format).isEmpty()) {
			// a broken deployment, not a broken image
			throw new IllegalStateException("no ImageIO reader installed for " + format);
		}
		try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
			watch.accept(in);
			ImageReader reader = readerFor(in, format);
			watch.accept(reader::abort);
			try {
				reader.setInput(in, true, true);
				return new Dimensions(reader.getWidth(0), reader.getHeight(0));
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException ex) {
			// decoders signal malformed input with all sorts of runtime exceptions
			throw new UnreadableImageException("cannot read the " + format + " header: " + ex, ex);
		}
	}

	/**
	 * The first pure-Java reader of {@code format} that accepts the stream (never the native
	 * libwebp reader: headers are read in Java only).
	 */
	public static ImageReader readerFor(ImageInputStream in, ImageFormat format) throws IOException, UnreadableImageException {
		for (ImageReaderSpi provider : providers(format)) {
			if (provider.canDecodeInput(in)) {
				return provider.createReaderInstance();
			}
		}
		throw new UnreadableImageException("no " + format + " reader accepts the header");
	}

	/**
	 * The pure-Java reader providers of {@code format} in the registry's order, looked up once: the
	 * registry's own look-up filters every provider by reflection on each call. Looked up again
	 * after the registry is scanned for plugins.
	 */
	private static List<ImageReaderSpi> providers(ImageFormat format) {
		return PROVIDERS.computeIfAbsent(format, key -> {
			String name = readerName(key);
			List<ImageReaderSpi> found = new ArrayList<>();
			IIORegistry.getDefaultInstance()
				.getServiceProviders(ImageReaderSpi.class, provider -> names(provider, name), true)
				.forEachRemaining(found::add);
			return List.copyOf(found);
		});
	}

	private static boolean names(Object provider, String format) {
		ImageReaderSpi reader = (ImageReaderSpi) provider;
		if (reader.getClass().getName().startsWith(NativeWebp.PACKAGE)
				|| String.valueOf(reader.getPluginClassName()).startsWith(NativeWebp.PACKAGE)) {
			return false;
		}
		for (String name : reader.getFormatNames()) {
			if (format.equalsIgnoreCase(name)) {
				return true;
			}
		}
		return false;
	}

	private static String readerName(ImageFormat format) {
		return switch (format) {
			case JPEG -> "jpeg";
			case PNG -> "png";
			case GIF -> "gif";
			case BMP -> "bmp";
			case WEBP -> "webp";
			case ICO -> "ico";
			case TIFF -> "tiff";
			case SVG -> throw new IllegalArgumentException("SVG is not read by ImageIO");
		};
	}

}
