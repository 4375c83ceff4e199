package dev.intake.platform;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The platform is the infrastructure every service shares (the Kafka topics, the S3 clients and
 * their health, the outbound address policy, the webhook registry): it knows no service, and its
 * Kafka and S3 parts know nothing of each other.
 */
@AnalyzeClasses(packages = "dev.intake.platform", importOptions = { ImportOption.DoNotIncludeTests.class,
		ImportOption.DoNotIncludeJars.class })
class PlatformBoundaryTest {

	@ArchTest
	static final ArchRule noService = noClasses().should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.intake.api..", "dev.intake.worker..", "dev.intake.status..")
		.because("the services depend on the platform, never the reverse");

	@ArchTest
	static final ArchRule kafkaKnowsNoS3 = noClasses().that()
		.resideInAPackage("dev.intake.platform.kafka..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.intake.platform.s3..")
		.because("the Kafka and S3 configurations are independent");

	@ArchTest
	static final ArchRule outboundKnowsNoInfrastructure = noClasses().that()
		.resideInAPackage("dev.intake.platform.outbound..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.intake.platform.kafka..", "dev.intake.platform.s3..",
				"dev.intake.platform.webhooks..", "org.springframework..")
		.because("the outbound address policy, its bounded lookups and pinned clients are plain code, shared by URL"
				+ " fetching, webhook delivery and subscription checks");

	@ArchTest
	static final ArchRule s3KnowsNoKafka = noClasses().that()
		.resideInAPackage("dev.intake.platform.s3..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.intake.platform.kafka..")
		.because("the Kafka and S3 configurations are independent");

}
