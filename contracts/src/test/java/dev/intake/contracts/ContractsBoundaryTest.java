package dev.intake.contracts;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The contracts are what the services share, so they know no framework and no service: every
 * service can depend on them without pulling in another's choices.
 */
@AnalyzeClasses(packages = "dev.intake.contracts", importOptions = { ImportOption.DoNotIncludeTests.class,
		ImportOption.DoNotIncludeJars.class })
class ContractsBoundaryTest {

	@ArchTest
	static final ArchRule noSpring = noClasses().should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework..")
		.because("the contracts are plain Java, Kafka and Jackson");

	@ArchTest
	static final ArchRule noService = noClasses().should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.intake.api..", "dev.intake.worker..", "dev.intake.status..", "dev.intake.platform..")
		.because("the services depend on the contracts, never the reverse");

}
