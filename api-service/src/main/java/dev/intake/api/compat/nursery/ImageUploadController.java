package dev.intake.api.compat.nursery;

import java.util.Map;

import dev.intake.api.assets.AssetRequest;
import dev.intake.api.assets.FileRefused;
import dev.intake.api.assets.SingleFileUpload;
import dev.intake.api.assets.SingleFileUpload.Form;
import dev.intake.api.auth.PresentedCredential;
import dev.intake.contracts.IngestOptions;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /image_upload}, the nursery image API's upload: one {@code file}, an image or a
 * document of the allowlist, with the credential as the {@code JWT_code} form field (sent before
 * the file, so it is checked before any byte is stored) or the usual header. Answered once the
 * file is stored, with its generated name and its {@code file_id}, which links it to a batch.
 */
@RestController
class ImageUploadController {

	static final String PATH = "/image_upload";

	static final String API = "nursery";

	static final String FILE = "file";

	static final String CREDENTIAL = "JWT_code";

	static final String CREDENTIAL_AFTER_FILE = "JWT_code is missing; send it before the file, or as an "
			+ "Authorization header.";

	private final SingleFileUpload upload;

	private final PresentedCredential credentials;

	ImageUploadController(SingleFileUpload upload, PresentedCredential credentials) {
		this.upload = upload;
		this.credentials = credentials;
	}

	@PostMapping(PATH)
	Mono<ImageUploadAnswer> upload(ServerWebExchange exchange) {
		if (!SingleFileUpload.isMultipartForm(exchange.getRequest())) {
			return Mono.error(NurseryErrors.badRequest("The request must be multipart/form-data."));
		}
		return upload.upload(exchange.getRequest(), FILE, this::tenantOf, ImageUploadController::decide)
			.map(ImageUploadAnswer::of)
			.onErrorMap(FileRefused.class, NurseryErrors::of);
	}

	private Mono<String> tenantOf(Map<String, String> fieldsBeforeFile) {
		String presented = fieldsBeforeFile.get(CREDENTIAL);
		return credentials.tenant(presented, PresentedCredential.Scope.WRITE)
			.onErrorMap(PresentedCredential.Refused.class,
					refused -> (refused.unauthenticated() && presented == null)
							? NurseryErrors.error(HttpStatus.UNAUTHORIZED, CREDENTIAL_AFTER_FILE)
							: NurseryErrors.of(refused));
	}

	private static AssetRequest decide(Form form) {
		switch (form.file()) {
			case MISSING, NOT_A_FILE -> throw NurseryErrors.badRequest("file is required: send one file as 'file'.");
			case SEVERAL -> throw NurseryErrors.badRequest("Send one file at a time.");
			case PRESENT -> {
			}
		}
		return new AssetRequest(0, API, Map.of(GeneratedNames.ATTRIBUTE, GeneratedNames.newStem()),
				new IngestOptions(null, true));
	}

}
