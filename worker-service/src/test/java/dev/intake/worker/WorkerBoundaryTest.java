package dev.intake.worker;

import java.util.Map;
import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package boundaries of the worker-service. A feature is a top-level package under
 * {@code dev.intake.worker} with everything below it; the parts of {@code imaging} and
 * {@code ingest} are boundaries of their own. Features and parts do not depend on each other in a
 * cycle, are used from outside only through the entry points listed here (by class name, wherever
 * below the package the class lives), and the service never uses another service's code.
 */
@AnalyzeClasses(packages = "dev.intake.worker", importOptions = { ImportOption.DoNotIncludeTests.class,
		ImportOption.DoNotIncludeJars.class })
class WorkerBoundaryTest {

	private static final String ROOT = "dev.intake.worker";

	/** Per package (relative to the root), the classes code outside it may use (nested classes included). */
	private static final Map<String, Set<String>> ENTRY_POINTS = Map.ofEntries(
			Map.entry("documents", Set.of("DocumentSniffer")),
			Map.entry("fetch", Set.of("RemoteFetcher", "RemoteBody", "FetchException")),
			Map.entry("imaging", Set.of("FormatSniffer", "DimensionReader", "ImageHeader", "Dimensions", "Orientation",
					"PixelLimit", "DecodePool", "UnreadableImageException", "DecodeTimeoutException", "RenditionMaker",
					"RenditionSpec", "RenditionFormat", "SvgActiveContentException", "SvgDoctypeException")),
			Map.entry("imaging.svg", Set.of("SvgDimensions", "SvgProlog", "SvgActiveContentException",
					"SvgDoctypeException")),
			Map.entry("imaging.rendition", Set.of("RenditionMaker", "RenditionSpec", "RenditionFormat")),
			Map.entry("imaging.structure", Set.of("GifStructure", "IcoStructure", "TiffStructure")),
			Map.entry("ingest", Set.of("ImageIngestion", "ResultPublisher", "TransientFailure", "ItemFailures",
					"JobCheck")),
			Map.entry("ingest.inspect", Set.of("ImageInspector", "Inspection", "RenditionProfiles")),
			Map.entry("jobs", Set.<String>of()),
			Map.entry("metrics", Set.of("WorkerMetrics")),
			Map.entry("sweep", Set.<String>of()),
			Map.entry("webhooks", Set.<String>of()));

	@ArchTest
	static final ArchRule featuresAreFreeOfCycles = slices().matching(ROOT + ".(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule imagingPartsAreFreeOfCycles = slices().matching(ROOT + ".imaging.(*)..")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule packagesUseOnlyEntryPointsOfEachOther = CompositeArchRule
		.of(ENTRY_POINTS.entrySet()
			.stream()
			.map(pkg -> onlyEntryPointsUsedFromOutside(pkg.getKey(), pkg.getValue()))
			.toList());

	@ArchTest
	static final ArchRule noOtherService = noClasses().should()
		.dependOnClassesThat()
		.resideInAnyPackage("dev.intake.api..", "dev.intake.status..")
		.because("the services share only the contracts and the platform");

	static ArchRule onlyEntryPointsUsedFromOutside(String relative, Set<String> entryPoints) {
		String pkg = ROOT + "." + relative;
		return noClasses().that()
			.resideOutsideOfPackage(pkg + "..")
			.should()
			.dependOnClassesThat(internalOf(pkg, entryPoints))
			.because("other packages use " + relative + " only through " + entryPoints);
	}

	/** Classes of a package tree whose top-level class is not one of the entry points. */
	static DescribedPredicate<JavaClass> internalOf(String pkg, Set<String> entryPoints) {
		return DescribedPredicate.describe("internals of " + pkg, javaClass -> {
			if (!javaClass.getPackageName().equals(pkg) && !javaClass.getPackageName().startsWith(pkg + ".")) {
				return false;
			}
			String topLevel = javaClass.getName().substring(javaClass.getPackageName().length() + 1).split("\\$")[0];
			return !entryPoints.contains(topLevel);
		});
	}

}
