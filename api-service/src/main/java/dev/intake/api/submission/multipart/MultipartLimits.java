package dev.intake.api.submission.multipart;

import dev.intake.api.submission.upload.UploadProperties;

import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.codec.CodecConfigurer;
import org.springframework.http.codec.multipart.DefaultPartHttpMessageReader;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;

/**
 * Explicit limits for the multipart readers (their defaults are unlimited): parts per request,
 * header size, text fields held in memory and the largest part read at all. Runs after Boot's own
 * multipart customizer so these values win.
 */
public final class MultipartLimits implements CodecCustomizer, Ordered {

	private final UploadProperties limits;

	public MultipartLimits(UploadProperties limits) {
		this.limits = limits;
	}

	@Override
	public void customize(CodecConfigurer configurer) {
		int headers = Math.toIntExact(limits.maxPartHeaderSize().toBytes());
		int field = Math.toIntExact(limits.maxFormFieldSize().toBytes());
		configurer.defaultCodecs().configureDefaultCodec(codec -> {
			if (codec instanceof PartEventHttpMessageReader reader) {
				reader.setMaxParts(limits.maxParts());
				reader.setMaxHeadersSize(headers);
				reader.setMaxInMemorySize(field);
				reader.setMaxPartSize(limits.maxPartSize().toBytes());
			}
			else if (codec instanceof DefaultPartHttpMessageReader reader) {
				reader.setMaxParts(limits.maxParts());
				reader.setMaxHeadersSize(headers);
				reader.setMaxInMemorySize(field);
				reader.setMaxDiskUsagePerPart(limits.maxPartSize().toBytes());
			}
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
