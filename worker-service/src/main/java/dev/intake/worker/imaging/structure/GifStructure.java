package dev.intake.worker.imaging.structure;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.Dimensions;
import dev.intake.worker.imaging.ImageHeader;
import dev.intake.worker.imaging.UnreadableImageException;

/**
 * Walks a GIF's blocks without decompressing anything: the logical screen, the number of frames
 * (stopping one past the cap) and the area the frames reach. {@code ImageReader.getWidth(0)}
 * gives only the first frame's size, which hides a huge logical screen. A GIF cut short after
 * complete frames counts the frames it has, as browsers show them.
 */
public final class GifStructure {

	private GifStructure() {
	}

	public static ImageHeader read(Path file, int maxFrames) throws UnreadableImageException {
		try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
			in.skipNBytes(6);
			int screenWidth = u16(in);
			int screenHeight = u16(in);
			int packed = u8(in);
			in.skipNBytes(2);
			if ((packed & 0x80) != 0) {
				in.skipNBytes(3L << ((packed & 7) + 1));
			}
			int frames = 0;
			int right = 0;
			int bottom = 0;
			ImageHeader.Region first = null;
			try {
				for (int block = in.read(); block != -1 && block != 0x3B; block = in.read()) {
					DecodePool.checkCancelled();
					if (block == 0x21) {
						u8(in);
						skipSubBlocks(in);
					}
					else if (block == 0x2C) {
						int left = u16(in);
						int top = u16(in);
						int width = u16(in);
						int height = u16(in);
						right = Math.max(right, left + width);
						bottom = Math.max(bottom, top + height);
						first = (first != null) ? first : new ImageHeader.Region(left, top, width, height);
						int local = u8(in);
						if ((local & 0x80) != 0) {
							in.skipNBytes(3L << ((local & 7) + 1));
						}
						u8(in);
						skipSubBlocks(in);
						if (++frames > maxFrames) {
							break;
						}
					}
					else {
						throw new UnreadableImageException("unknown GIF block " + block);
					}
				}
			}
			catch (EOFException ex) {
				// truncated after some frames: count what is there
			}
			if (frames == 0) {
				throw new UnreadableImageException("GIF without a frame");
			}
			Dimensions screen = new Dimensions(screenWidth, screenHeight);
			return new ImageHeader(screen, new Dimensions(Math.max(screenWidth, right), Math.max(screenHeight, bottom)),
					frames, 0, first);
		}
		catch (IOException ex) {
			throw new UnreadableImageException("cannot walk the GIF blocks: " + ex, ex);
		}
	}

	private static void skipSubBlocks(InputStream in) throws IOException {
		for (int size = u8(in); size > 0; size = u8(in)) {
			in.skipNBytes(size);
		}
	}

	private static int u8(InputStream in) throws IOException {
		int b = in.read();
		if (b < 0) {
			throw new EOFException();
		}
		return b;
	}

	private static int u16(InputStream in) throws IOException {
		return u8(in) | (u8(in) << 8);
	}

}
