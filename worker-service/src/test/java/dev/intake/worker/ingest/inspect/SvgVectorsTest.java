package dev.intake.worker.ingest.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.DimensionReader;
import dev.intake.worker.imaging.PixelLimit;
import dev.intake.worker.imaging.rendition.RenditionMaker;
import dev.intake.worker.imaging.rendition.RenditionSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Published SVG script-injection and resource-loading vectors (the kinds collected by XSS
 * filter-evasion cheat sheets and sanitizer test suites), written as files under
 * {@code svg-vectors/}, each with the outcome it must have. Every file is in the table, and
 * every row names a file.
 */
// a guard against a hang, per case: the decode pool's deadline is what bounds a hostile input;
// the first case also loads the image readers, which takes seconds on a busy machine
@Timeout(60)
class SvgVectorsTest {

	private static final Instant NOW = Instant.parse("2026-01-06T10:00:00Z");

	private static final DecodePool pool = new DecodePool(2, Duration.ofSeconds(30));

	private static final ImageInspector inspector = new ImageInspector(new DimensionReader(),
			new PixelLimit(50_000_000, 16384), 100, pool, new RenditionMaker(0.8f), List.of(new RenditionSpec("thumb", 64)));

	private static final String PREFIX = "The file 'vector.svg' is not a valid SVG image: ";

	@TempDir
	Path dir;

	@AfterAll
	static void stopPool() {
		pool.close();
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			script-element              | UNSAFE_SVG    | it contains a <script> element
			script-cdata                | UNSAFE_SVG    | it contains a <script> element
			script-external             | UNSAFE_SVG    | it contains a <script> element
			script-xhtml-namespace      | UNSAFE_SVG    | it contains a <script> element
			script-svg-prefix           | UNSAFE_SVG    | it contains a <script> element
			script-relative-size        | UNSAFE_SVG    | it contains a <script> element
			script-doctype-no-size      | UNSAFE_SVG    | it contains a <script> element
			onload-root                 | UNSAFE_SVG    | it contains an event handler attribute (onload)
			onload-no-size              | UNSAFE_SVG    | it contains an event handler attribute (onload)
			onload-uppercase            | UNSAFE_SVG    | it contains an event handler attribute (ONLOAD)
			onbegin-animation           | UNSAFE_SVG    | it contains an event handler attribute (onbegin)
			onerror-in-style            | UNSAFE_SVG    | it contains an event handler attribute (onerror)
			onload-unquoted             | CORRUPT_IMAGE |
			a-href-javascript           | UNSAFE_SVG    | it links to a resource outside the document (href)
			a-xlink-href-tab            | UNSAFE_SVG    | it links to a resource outside the document (href)
			a-href-char-refs            | UNSAFE_SVG    | it links to a resource outside the document (href)
			a-href-leading-space        | UNSAFE_SVG    | it links to a resource outside the document (href)
			set-href-javascript         | UNSAFE_SVG    | it animates a link or event handler attribute (href)
			set-xlink-href-data         | UNSAFE_SVG    | it animates a link or event handler attribute (xlink:href)
			animate-href-values         | UNSAFE_SVG    | it animates a link or event handler attribute (href)
			animate-href-spaced         | UNSAFE_SVG    | it animates a link or event handler attribute (href)
			animate-transform-href      | UNSAFE_SVG    | it animates a link or event handler attribute (href)
			set-onclick                 | UNSAFE_SVG    | it animates a link or event handler attribute (onclick)
			set-onclick-char-ref        | UNSAFE_SVG    | it animates a link or event handler attribute (onclick)
			animate-fill-javascript     | UNSAFE_SVG    | it contains a script URL (values)
			fill-vbscript               | UNSAFE_SVG    | it contains a script URL (fill)
			foreign-object-iframe       | UNSAFE_SVG    | it contains a <foreignObject> element
			iframe                      | UNSAFE_SVG    | it contains a <iframe> element
			embed                       | UNSAFE_SVG    | it contains a <embed> element
			object                      | UNSAFE_SVG    | it contains a <object> element
			handler                     | UNSAFE_SVG    | it contains a <handler> element
			listener                    | UNSAFE_SVG    | it contains a <listener> element
			image-external              | UNSAFE_SVG    | it links to a resource outside the document (href)
			image-data-svg              | UNSAFE_SVG    | it links to a resource outside the document (href)
			use-external                | UNSAFE_SVG    | it links to a resource outside the document (href)
			use-data-uri                | UNSAFE_SVG    | it links to a resource outside the document (href)
			fe-image-external           | UNSAFE_SVG    | it links to a resource outside the document (href)
			mpath-external              | UNSAFE_SVG    | it links to a resource outside the document (href)
			xinclude                    | UNSAFE_SVG    | it links to a resource outside the document (href)
			xml-stylesheet-before-root  | UNSAFE_SVG    | it links a style sheet (xml-stylesheet)
			xml-stylesheet-xslt         | UNSAFE_SVG    | it links a style sheet (xml-stylesheet)
			xml-stylesheet-inside-root  | UNSAFE_SVG    | it links a style sheet (xml-stylesheet)
			style-import                | UNSAFE_SVG    | its styles import a resource outside the document
			style-import-after-element  | UNSAFE_SVG    | its styles import a resource outside the document
			style-import-split          | UNSAFE_SVG    | its styles import a resource outside the document
			style-import-cdata          | UNSAFE_SVG    | its styles import a resource outside the document
			style-import-escaped        | UNSAFE_SVG    | its styles import a resource outside the document
			style-import-comment        | UNSAFE_SVG    | its styles import a resource outside the document
			style-url-external          | UNSAFE_SVG    | it refers to a resource outside the document (url)
			style-url-escaped           | UNSAFE_SVG    | it refers to a resource outside the document (url)
			style-attribute-url         | UNSAFE_SVG    | it refers to a resource outside the document (url)
			style-attribute-javascript  | UNSAFE_SVG    | it contains a script URL (style)
			style-expression            | UNSAFE_SVG    | its styles contain a script expression
			style-moz-binding           | UNSAFE_SVG    | it refers to a resource outside the document (url)
			doctype-entity              | CORRUPT_IMAGE | document type declarations are not allowed
			doctype-billion-laughs      | CORRUPT_IMAGE | document type declarations are not allowed
			use-billion-laughs          | UNSAFE_SVG    | it stands for more than 100000 elements once its <use> references are expanded
			use-forward-references      | UNSAFE_SVG    | it stands for more than 100000 elements once its <use> references are expanded
			use-self-loop               | UNSAFE_SVG    | it has a <use> reference loop
			use-mutual-loop             | UNSAFE_SVG    | it has a <use> reference loop
			benign-sprite               | STORED        |
			benign-gradients-animation  | STORED        |
			""")
	void eachVectorHasItsOutcome(String file, String outcome, String reason) throws Exception {
		Inspection verdict = inspect(file + ".svg");
		if (outcome.equals("STORED")) {
			assertThat(verdict).as(file).isInstanceOf(Inspection.Accepted.class);
			assertThat(((Inspection.Accepted) verdict).format().name()).isEqualTo("SVG");
			return;
		}
		assertThat(verdict).as(file).isInstanceOf(Inspection.Refused.class);
		Inspection.Refused refused = (Inspection.Refused) verdict;
		assertThat(refused.failure().code()).as(file).isEqualTo(outcome);
		if (reason != null) {
			assertThat(refused.failure().message()).as(file).isEqualTo(PREFIX + reason + ".");
		}
	}

	@Test
	void everyVectorFileIsInTheTable() throws Exception {
		Set<String> files;
		try (var list = Files.list(Path.of(Objects.requireNonNull(getClass().getResource("/svg-vectors")).toURI()))) {
			files = list.map(p -> p.getFileName().toString().replaceFirst("\\.svg$", ""))
				.collect(Collectors.toCollection(TreeSet::new));
		}
		var source = getClass().getDeclaredMethod("eachVectorHasItsOutcome", String.class, String.class, String.class)
			.getAnnotation(CsvSource.class)
			.textBlock();
		Set<String> rows = source.lines()
			.map(line -> line.split("\\|")[0].trim())
			.filter(name -> !name.isEmpty())
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(rows).isEqualTo(files);
	}

	private Inspection inspect(String name) throws IOException, Exception {
		byte[] bytes;
		try (InputStream in = getClass().getResourceAsStream("/svg-vectors/" + name)) {
			assertThat(in).as(name).isNotNull();
			bytes = in.readAllBytes();
		}
		Path file = Files.write(dir.resolve(name), bytes);
		IngestImage job = new IngestImage("acme", "batch-1", "acme/batch-1/0", 0, "item",
				new ItemSource.Staged(null, "vector.svg"), 1);
		return inspector.inspect(job, file, NOW);
	}

}
