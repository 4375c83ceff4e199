package dev.intake.api.compat.nursery;

import java.util.Map;
import java.util.Set;

import dev.intake.api.assets.AssetRequest;
import dev.intake.api.assets.FileRefused;
import dev.intake.api.assets.SingleFileUpload;
import dev.intake.api.assets.SingleFileUpload.Form;
import dev.intake.api.auth.PresentedCredential;
import dev.intake.api.limits.LateAdmission;
import dev.intake.contracts.IngestOptions;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /image_upload}, the nursery image API's upload: one {@code file}, an image or a
 * document of the allowlist, with the credential as the {@code JWT_code} form field or the usual
 * header. A {@code JWT_code} sent before the file is checked before any byte is stored; one sent
 * after it is checked at the form's end, the file held apart until then. Answered once the file
 * is stored, with its generated name and its {@code file_id}, which links it to a batch.
 */
@RestController
class ImageUploadController {

	static final String PATH = "/image_upload";

	static final String API = "nursery";

	static final String FILE = "file";

	static final String CREDENTIAL = "JWT_code";

	static final String CREDENTIAL_MISSING = "JWT_code is missing: send it as a form field, or as an "
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
		return upload.upload(exchange.getRequest(), FILE, Set.of(CREDENTIAL),
				(fields, complete) -> tenantOf(exchange, fields, complete),
				ImageUploadController::decide)
			.map(ImageUploadAnswer::of)
			.onErrorMap(FileRefused.class, NurseryErrors::of);
	}

	/** The tenant of the request's credential, the request charged to its quotas; empty while it may still come. */
	private Mono<String> tenantOf(ServerWebExchange exchange, Map<String, String> fields, boolean complete) {
		// an empty field is what a form sends for one left blank: not given
		String presented = (fields.get(CREDENTIAL) == null || fields.get(CREDENTIAL).isBlank()) ? null
				: fields.get(CREDENTIAL);
		return credentials.tenant(presented, PresentedCredential.Scope.WRITE)
			.flatMap(tenant -> LateAdmission.charge(exchange, tenant).thenReturn(tenant))
			.onErrorResume(PresentedCredential.Refused.class, refused -> {
				if (refused.unauthenticated() && presented == null) {
					// the field may still come after the file
					return complete ? Mono.error(NurseryErrors.error(HttpStatus.UNAUTHORIZED, CREDENTIAL_MISSING))
							: Mono.empty();
				}
				return Mono.error(NurseryErrors.of(refused));
			});
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
