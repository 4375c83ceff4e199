package dev.intake.api.compat.anqicms;

import java.util.Map;
import java.util.Set;

import dev.intake.api.assets.AssetRequest;
import dev.intake.api.assets.FileRefused;
import dev.intake.api.assets.SingleFileUpload;
import dev.intake.api.assets.SingleFileUpload.Form;
import dev.intake.api.auth.Tenant;
import dev.intake.contracts.AssetIds;
import dev.intake.contracts.IngestOptions;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /attachment/upload?token=…}, the AnqiCMS attachment upload: one {@code file}, an
 * optional {@code category_id}, an optional {@code id} of the attachment whose file it replaces.
 * Images get the {@code anqicms} renditions; documents of the allowlist are accepted as they are
 * ({@code is_image: 0}). Answers once the file is stored and measured.
 */
@RestController
class AttachmentUploadController {

	static final String PATH = "/attachment/upload";

	static final String API = "anqicms";

	static final String FILE = "file";

	static final String CATEGORY_ID = "category_id";

	/** Digits of the largest number a field takes (2^53 - 1). */
	private static final int MAX_DIGITS = 16;

	static final String ID = "id";

	private final SingleFileUpload upload;

	AttachmentUploadController(SingleFileUpload upload) {
		this.upload = upload;
	}

	@PostMapping(PATH)
	Mono<AttachmentAnswer> upload(ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		if (!SingleFileUpload.isMultipartForm(exchange.getRequest())) {
			return Mono.error(AnqiErrors.error(HttpStatus.BAD_REQUEST, "The request must be multipart/form-data."));
		}
		return upload.upload(tenant, exchange.getRequest(), FILE, Set.of(CATEGORY_ID, ID), AttachmentUploadController::decide)
			.map(AttachmentAnswer::of)
			.onErrorMap(FileRefused.class, AnqiErrors::of);
	}

	private static AssetRequest decide(Form form) {
		switch (form.file()) {
			case MISSING, NOT_A_FILE -> throw AnqiErrors.error(HttpStatus.BAD_REQUEST, "Please choose a file to upload.");
			case SEVERAL -> throw AnqiErrors.error(HttpStatus.BAD_REQUEST, "Upload one file at a time.");
			case PRESENT -> {
			}
		}
		String category = form.fields().get(CATEGORY_ID);
		long id = number(form.fields().get(ID), ID);
		Map<String, String> attributes = Map.of();
		if (category != null && !category.isBlank()) {
			attributes = Map.of(CATEGORY_ID, Long.toString(number(category, CATEGORY_ID)));
		}
		return new AssetRequest(id, API, attributes, new IngestOptions(API, true));
	}

	/**
	 * A non-negative integer field of ASCII digits, below 2^53 (exact in every JSON client), 0 when
	 * absent or blank.
	 */
	private static long number(String value, String field) {
		if (value == null || value.isBlank()) {
			return 0;
		}
		String digits = value.strip();
		if (digits.length() <= MAX_DIGITS && digits.chars().allMatch(c -> c >= '0' && c <= '9')
				&& Long.parseLong(digits) <= AssetIds.MAX) {
			return Long.parseLong(digits);
		}
		throw AnqiErrors.error(HttpStatus.BAD_REQUEST, field + " must be a non-negative integer.");
	}

}
