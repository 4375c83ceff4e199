package dev.intake.api.image;

import dev.intake.api.status.StatusServiceClient;
import dev.intake.platform.s3.IntakeS3Properties;
import dev.intake.platform.s3.S3ClientsConfiguration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ImageOriginProperties.class)
class ImageOriginConfiguration {

	@Bean
	ContentLocations contentLocations(StatusServiceClient status, ImageOriginProperties origin) {
		return new ContentLocations(status, origin.contentCacheSize());
	}

	@Bean(destroyMethod = "close")
	OriginStore originStore(IntakeS3Properties s3, ImageOriginProperties origin) {
		return new OriginStore(
				S3ClientsConfiguration.asyncClient(s3, origin.maxConnections(), origin.acquireTimeout()));
	}

}
