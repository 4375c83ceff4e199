package dev.intake.api.submission.upload;

import java.time.Duration;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class UploadPropertiesTest {

	private final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

	@Test
	void allowsAPartForEveryImageAndNameAndAFewFields() {
		assertThat(limits(DataSize.ofMegabytes(256)).maxParts()).isEqualTo(610);
	}

	@Test
	void refusesAPartSizeBelowTheImageSize() {
		assertThat(validator.validate(limits(DataSize.ofMegabytes(256)))).isEmpty();
		assertThat(validator.validate(limits(DataSize.ofMegabytes(5)))).hasSize(1);
	}

	private static UploadProperties limits(DataSize maxPartSize) {
		return new UploadProperties(300, DataSize.ofMegabytes(10), 16, Duration.ofSeconds(30), maxPartSize,
				DataSize.ofKilobytes(64), DataSize.ofKilobytes(16), DataSize.ofMegabytes(32), DataSize.ofMegabytes(32), 8);
	}

}
