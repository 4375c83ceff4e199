package dev.intake.contracts;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ApiResponseTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aSuccessCarriesItsDataAfterCodeAndMessage() {
		String body = json.writeValueAsString(ApiResponse.success(List.of("a", "b")));

		assertThat(body).isEqualTo("{\"code\":200,\"message\":\"success\",\"data\":[\"a\",\"b\"]}");
	}

	@Test
	void anErrorHasNoData() {
		String body = json.writeValueAsString(ApiResponse.error(ApiError.BATCH_NOT_FOUND, ApiError.BATCH_NOT_FOUND_MESSAGE));

		assertThat(body).isEqualTo("{\"code\":1203,\"message\":\"Batch ID does not exist or has expired.\"}");
	}

}
