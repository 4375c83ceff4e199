package dev.intake.worker.ingest.inspect;

import java.util.List;

import dev.intake.contracts.DocumentFormat;
import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.worker.imaging.Dimensions;
import dev.intake.worker.imaging.rendition.RenditionMaker;

/**
 * The verdict on a local file: an image accepted with its real format and size, a document
 * accepted as it is, or refused.
 */
public sealed interface Inspection {

	/** {@code size} is as displayed (orientation applied); renditions are encoded, not yet stored. */
	record Accepted(ImageFormat format, Dimensions size, int frames, List<RenditionMaker.Encoded> renditions)
			implements Inspection {
	}

	/** A non-image file of the allowed document formats, stored without image processing. */
	record Document(DocumentFormat format) implements Inspection {
	}

	record Refused(ImageFailed failure) implements Inspection {
	}

}
