package dev.intake.worker.ingest;

import dev.intake.contracts.ImageFormat;
import dev.intake.contracts.ItemResult.ImageFailed;
import dev.intake.worker.imaging.Dimensions;

/** The verdict on a local image file: accepted with its real format and size, or refused. */
sealed interface Inspection {

	record Accepted(ImageFormat format, Dimensions size) implements Inspection {
	}

	record Refused(ImageFailed failure) implements Inspection {
	}

}
