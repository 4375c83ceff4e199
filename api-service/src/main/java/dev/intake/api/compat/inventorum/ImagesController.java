package dev.intake.api.compat.inventorum;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.intake.api.assets.AssetRequest;
import dev.intake.api.assets.FileRefused;
import dev.intake.api.assets.FileType;
import dev.intake.api.assets.SingleFileUpload;
import dev.intake.api.assets.SingleFileUpload.FileState;
import dev.intake.api.assets.SingleFileUpload.Form;
import dev.intake.api.auth.Tenant;
import dev.intake.contracts.IngestOptions;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /api/images/} (and without the slash), the Inventorum images API: one image under
 * {@code image} (API version 8 and later, or no {@code X-Api-Version}) or {@code product_image}
 * (7 and earlier), a {@code type} (product, account, user, category; required from version 3),
 * answered with the {@code inventorum} renditions' URLs once they are stored.
 */
@RestController
class ImagesController {

	static final String PATH = "/api/images";

	static final String PATH_SLASH = "/api/images/";

	static final String API = "inventorum";

	static final String VERSION_HEADER = "X-Api-Version";

	/** The version assumed when the client names none: the latest this API describes. */
	static final int LATEST_VERSION = 12;

	/** From this version on the file field is {@code image}; before it, {@code product_image}. */
	static final int IMAGE_FIELD_VERSION = 8;

	/** Up to this version the answer's id is negative. */
	static final int LAST_NEGATIVE_ID_VERSION = 7;

	/** From this version on {@code type} is required. */
	static final int TYPE_REQUIRED_VERSION = 3;

	static final String TYPE = "type";

	/** The image types, answered as their index. */
	static final List<String> TYPES = List.of("product", "account", "user", "category");

	private final SingleFileUpload upload;

	ImagesController(SingleFileUpload upload) {
		this.upload = upload;
	}

	@PostMapping({ PATH, PATH_SLASH })
	Mono<ImageAnswer> upload(ServerWebExchange exchange) {
		String tenant = Tenant.of(exchange);
		int version = version(exchange.getRequest().getHeaders().getFirst(VERSION_HEADER));
		String fileField = (version >= IMAGE_FIELD_VERSION) ? "image" : "product_image";
		if (!SingleFileUpload.isMultipartForm(exchange.getRequest())) {
			String type = exchange.getRequest().getHeaders().getFirst("Content-Type");
			return Mono.error(DrfErrors.detail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"Unsupported media type \"" + ((type != null) ? type : "") + "\" in request."));
		}
		int[] type = new int[1];
		return upload.upload(tenant, exchange.getRequest(), fileField, Set.of(TYPE), form -> {
			type[0] = decide(form, fileField, version);
			return new AssetRequest(0, API, Map.of(TYPE, TYPES.get(type[0])), new IngestOptions(API, false));
		}).map(asset -> ImageAnswer.of(asset, type[0], version)).onErrorMap(FileRefused.class,
				refused -> DrfErrors.of(refused, fileField));
	}

	/**
	 * The type's index, after checking every field as the serializer would: all errors at once,
	 * in the fields' order. A file whose first bytes show a document is named not an image among
	 * the other fields' errors; alone, it is refused by the worker, which decides what the bytes
	 * are (first bytes that show no accepted type may still be an image it reads further).
	 */
	private static int decide(Form form, String fileField, int version) {
		Map<String, List<String>> errors = new LinkedHashMap<>();
		switch (form.file()) {
			case MISSING -> errors.put(fileField, List.of(DrfErrors.REQUIRED));
			case NOT_A_FILE -> errors.put(fileField, List.of(DrfErrors.NOT_A_FILE));
			case SEVERAL -> {
			}
			case PRESENT -> {
				if (showsDocument(form)) {
					errors.put(fileField, List.of(DrfErrors.NOT_AN_IMAGE));
				}
			}
		}
		String type = form.fields().get(TYPE);
		int index = 0;
		if (type == null || type.isEmpty()) {
			if (version >= TYPE_REQUIRED_VERSION) {
				errors.put(TYPE, List.of(DrfErrors.REQUIRED));
			}
		}
		else {
			index = TYPES.indexOf(type);
			if (index < 0) {
				errors.put(TYPE, List.of("\"" + type + "\" is not a valid choice."));
			}
		}
		boolean onlyTheDocument = errors.size() == 1 && form.file() == FileState.PRESENT && showsDocument(form);
		if (!errors.isEmpty() && !onlyTheDocument) {
			throw DrfErrors.fields(HttpStatus.BAD_REQUEST, errors);
		}
		return index;
	}

	/** Whether the file's first bytes show a document (surely no image), not merely no type Intake knows. */
	private static boolean showsDocument(Form form) {
		return form.sniffedType() != FileType.UNKNOWN && !form.sniffedType().image();
	}

	/** The requested API version; absent means the latest. */
	private static int version(String header) {
		if (header == null || header.isBlank()) {
			return LATEST_VERSION;
		}
		try {
			int version = Integer.parseInt(header.strip());
			if (version >= 1) {
				return version;
			}
		}
		catch (NumberFormatException ex) {
			// refused below
		}
		throw DrfErrors.detail(HttpStatus.NOT_ACCEPTABLE, "Invalid version in \"" + VERSION_HEADER + "\" header.");
	}

}
