package dev.intake.local;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code INTAKE_PART}, which runs one part of Intake per process (the benchmark's memory per
 * service, end to end in {@code bench}): a part it does not know is refused before anything
 * starts.
 */
class LocalPartsTest {

	@Test
	void anUnknownPartIsRefusedWithTheOnesThereAre(@TempDir Path dataDir) {
		assertThatThrownBy(() -> LocalIntake.startPart(LocalStacks.settingsIn(dataDir), "gateway", "token"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("INTAKE_PART must be backends, status, worker or api, not 'gateway'");
	}

}
