package dev.intake.worker.ingest.inspect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import dev.intake.contracts.IngestImage;
import dev.intake.contracts.ItemSource;
import dev.intake.testsupport.HostileImages;
import dev.intake.testsupport.TestImages;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.intake.testsupport.HostileImages.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The hostile-input corpus: bytes generated here, each with the code it must end in. None may
 * hang (each case has a time limit), throw or run out of memory; all run through the same
 * inspector (sniff, header on the decode pool, limits) as uploads and fetched URLs.
 */
// a guard against a hang, per case: the decode pool's deadline is what bounds a hostile input;
// the first case also loads the image readers, which takes seconds on a busy machine
@Timeout(60)
class HostileCorpusTest {

	private static final Instant NOW = Instant.parse("2026-01-06T10:00:00Z");

	private static final int MAX_FRAMES = 100;

	private static final DecodePool pool = new DecodePool(2, Duration.ofSeconds(30));

	private static final ImageInspector inspector = new ImageInspector(new DimensionReader(),
			new PixelLimit(50_000_000, 16384), MAX_FRAMES, pool, new RenditionMaker(0.8f),
			List.of(new RenditionSpec("thumb", 64)));

	@TempDir
	Path dir;

	@AfterAll
	static void stopPool() {
		pool.close();
	}

	static Stream<Arguments> refused() {
		byte[] png = TestImages.png(16, 16);
		return Stream.of(
				// pixel floods, one per format, refused from the header
				arguments("png 100000x100000 header", TestImages.pngClaiming(100000, 100000), "TOO_MANY_PIXELS"),
				arguments("png 16384x16384 (268 MP)", TestImages.pngClaiming(16384, 16384), "TOO_MANY_PIXELS"),
				arguments("jpeg SOF 65500x65500", HostileImages.jpegClaiming(65500, 65500), "TOO_MANY_PIXELS"),
				arguments("gif logical screen 65535x65535, 1x1 frame", HostileImages.gifScreen(65535, 65535),
						"TOO_MANY_PIXELS"),
				arguments("gif 1x1 screen, frame 65535x65535", HostileImages.gifFrames(1, 65535, 65535),
						"TOO_MANY_PIXELS"),
				arguments("gif 2000 frames", HostileImages.gifFrames(2000, 1, 1), "TOO_MANY_PIXELS"),
				arguments("webp lossless 16384x16384", TestImages.webpHeader(16384, 16384), "TOO_MANY_PIXELS"),
				arguments("webp VP8X canvas 16777216x16777216", HostileImages.webpCanvas(16777216, 16777216),
						"TOO_MANY_PIXELS"),
				arguments("ico directory 16x16, embedded png 100000x100000",
						HostileImages.icoWith(16, TestImages.pngClaiming(100000, 100000)), "TOO_MANY_PIXELS"),
				arguments("bmp 131168x4096", HostileImages.bmpClaiming(131168, 4096), "TOO_MANY_PIXELS"),
				arguments("bmp width 1073741825", HostileImages.bmpClaiming(1073741825, 1), "TOO_MANY_PIXELS"),
				arguments("tiff 20000x20000", HostileImages.tiff(20000, 20000, 1, -1), "TOO_MANY_PIXELS"),
				arguments("tiff 500 pages", HostileImages.tiff(1, 1, 500, -1), "TOO_MANY_PIXELS"),
				arguments("svg 1e9 x 1e9", TestImages.svg("width=\"1e9\" height=\"1e9\""), "TOO_MANY_PIXELS"),
				// non-positive and overflowing sizes
				arguments("tiff width 4294967295", HostileImages.tiff(4294967295L, 1, 1, -1), "CORRUPT_IMAGE"),
				arguments("bmp height INT_MIN", HostileImages.bmpClaiming(4, Integer.MIN_VALUE), "CORRUPT_IMAGE"),
				arguments("png 0x10", TestImages.pngClaiming(0, 10), "CORRUPT_IMAGE"),
				// structure loops and lies
				arguments("tiff IFD self-loop", HostileImages.tiff(1, 1, 1, 0), "CORRUPT_IMAGE"),
				arguments("tiff IFD loop over 3 pages", HostileImages.tiff(1, 1, 3, 1), "CORRUPT_IMAGE"),
				arguments("ico claiming 200 entries in 22 bytes", HostileImages.icoClaimingEntries(200),
						"CORRUPT_IMAGE"),
				// truncated and corrupt
				arguments("png cut after 20 bytes", Arrays.copyOf(png, 20), "CORRUPT_IMAGE"),
				arguments("jpeg truncated mid-scan (decoder warning)", truncatedJpeg(), "CORRUPT_IMAGE"),
				arguments("jpeg without its EOI marker (decoder warning)", withoutEoi(), "CORRUPT_IMAGE"),
				arguments("jpeg of 3 bytes", new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF }, "CORRUPT_IMAGE"),
				arguments("GIF89a only", TestImages.ascii("GIF89a"), "CORRUPT_IMAGE"),
				arguments("gif/js polyglot", TestImages.ascii("GIF89a=1;alert(document.domain)//;"), "CORRUPT_IMAGE"),
				arguments("svg with an external entity",
						TestImages.ascii("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
								+ "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">&x;</svg>"),
						"CORRUPT_IMAGE"),
				arguments("svg billion laughs",
						TestImages.ascii("<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
								+ "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">&b;</svg>"),
						"CORRUPT_IMAGE"),
				// not images at all, whatever they are called
				arguments("empty file", new byte[0], "UNSUPPORTED_FORMAT"),
				arguments("jpeg of 2 bytes", new byte[] { (byte) 0xFF, (byte) 0xD8 }, "UNSUPPORTED_FORMAT"),
				arguments("pdf", TestImages.pdf(), "UNSUPPORTED_FORMAT"),
				arguments("html with an svg inside", TestImages.html(), "UNSUPPORTED_FORMAT"),
				arguments("zip of a png", TestImages.zip(), "UNSUPPORTED_FORMAT"),
				arguments("ico claiming 65535 entries", HostileImages.icoClaimingEntries(65535),
						"UNSUPPORTED_FORMAT"));
	}

	private static byte[] truncatedJpeg() {
		byte[] jpeg = TestImages.jpeg(400, 300);
		return Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
	}

	private static byte[] withoutEoi() {
		byte[] jpeg = TestImages.jpeg(400, 300);
		return Arrays.copyOf(jpeg, jpeg.length - 2);
	}

	@ParameterizedTest(name = "{0} -> {2}")
	@MethodSource("refused")
	void eachHostileInputEndsInItsCode(String name, byte[] bytes, String code) throws Exception {
		Inspection verdict = inspect(bytes);
		assertThat(verdict).as(name).isInstanceOf(Inspection.Refused.class);
		assertThat(((Inspection.Refused) verdict).failure().code()).as(name).isEqualTo(code);
	}

	static Stream<Arguments> activeSvg() {
		return Stream.of(arguments("<script>alert(1)</script>", "it contains a <script> element"),
				arguments("<g><foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"javascript:alert(1)\"/>"
						+ "</foreignObject></g>", "it contains a <foreignObject> element"),
				arguments("<rect width=\"1\" height=\"1\" onclick=\"alert(1)\"/>",
						"it contains an event handler attribute (onclick)"),
				arguments("<image xmlns:xlink=\"http://www.w3.org/1999/xlink\" xlink:href=\"http://127.0.0.1:9/x.png\"/>",
						"it links to a resource outside the document (href)"),
				arguments("<image href=\"file:///etc/passwd\"/>", "it links to a resource outside the document (href)"),
				arguments("<a href=\"javascript:alert(1)\"><text>x</text></a>",
						"it links to a resource outside the document (href)"),
				arguments("<style>@import url(http://127.0.0.1:9/a.css);</style>",
						"its styles import a resource outside the document"),
				arguments("<rect fill=\"url(http://127.0.0.1:9/p.svg#x)\" width=\"1\" height=\"1\"/>",
						"it refers to a resource outside the document (url)"),
				arguments("<style>rect { fill: url('https://127.0.0.1:9/p.svg#x') }</style>",
						"it refers to a resource outside the document (url)"),
				arguments("<a href=\"#x\"><set attributeName=\"href\" to=\"javascript:alert(1)\"/><text>x</text></a>",
						"it animates a link or event handler attribute (href)"),
				arguments("<a href=\"#x\"><animate attributeName=\"xlink:href\" values=\"http://127.0.0.1:9/x\"/></a>",
						"it animates a link or event handler attribute (xlink:href)"),
				arguments("<rect width=\"1\" height=\"1\"><set attributeName=\"onclick\" to=\"alert(1)\"/></rect>",
						"it animates a link or event handler attribute (onclick)"),
				arguments("<rect width=\"1\" height=\"1\"><animate attributeName=\"fill\" values=\"java&#9;script:alert(1)\"/>"
						+ "</rect>", "it contains a script URL (values)"),
				arguments("<?xml-stylesheet type=\"text/css\" href=\"http://127.0.0.1:9/a.css\"?><rect width=\"1\" height=\"1\"/>",
						"it links a style sheet (xml-stylesheet)"),
				arguments("<style>rect { fill: red }<desc>x</desc>@import url(http://127.0.0.1:9/a.css);</style>",
						"its styles import a resource outside the document"),
				arguments("<style>@imp<desc/>ort url(http://127.0.0.1:9/a.css);</style>",
						"its styles import a resource outside the document"),
				arguments("<style>@\\69mport url(http://127.0.0.1:9/a.css);</style>",
						"its styles import a resource outside the document"),
				arguments("<style>@im/* */port 'http://127.0.0.1:9/a.css';</style>",
						"its styles import a resource outside the document"),
				arguments("<style>rect { fill: u\\72l(http://127.0.0.1:9/p.svg#x) }</style>",
						"it refers to a resource outside the document (url)"),
				arguments("<rect width=\"1\" height=\"1\" style=\"fill: URL(http://127.0.0.1:9/p.svg#x)\"/>",
						"it refers to a resource outside the document (url)"),
				arguments("<use href=\"http://127.0.0.1:9/s.svg#x\"/>", "it links to a resource outside the document (href)"),
				arguments("<handler type=\"application/ecmascript\">alert(1)</handler>", "it contains a <handler> element"),
				arguments("<iframe xmlns=\"http://www.w3.org/1999/xhtml\"/>", "it contains a <iframe> element"),
				arguments("<embed xmlns=\"http://www.w3.org/1999/xhtml\" src=\"http://127.0.0.1:9/x\"/>",
						"it contains a <embed> element"));
	}

	@Test
	void anXmlStylesheetInstructionBeforeTheRootIsRefused() throws Exception {
		Inspection.Refused refused = (Inspection.Refused) inspect(TestImages.ascii("<?xml version=\"1.0\"?>\n"
				+ "<?xml-stylesheet href=\"http://127.0.0.1:9/a.css\"?>\n"
				+ "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"));
		assertThat(refused.failure().code()).isEqualTo("UNSAFE_SVG");
		assertThat(refused.failure().message()).endsWith("it links a style sheet (xml-stylesheet).");
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("activeSvg")
	void svgWithActiveContentIsRefusedSayingWhy(String body, String reason) throws Exception {
		byte[] svg = TestImages.ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">" + body
				+ "</svg>");
		Inspection.Refused refused = (Inspection.Refused) inspect(svg);
		assertThat(refused.failure().code()).isEqualTo("UNSAFE_SVG");
		assertThat(refused.failure().message())
			.isEqualTo("The file 'hostile.bin' is not a valid SVG image: " + reason + ".");
	}

	static Stream<Arguments> activeSvgWithAnotherFault() {
		String script = "<script>alert(1)</script>";
		String root = "<svg xmlns=\"http://www.w3.org/2000/svg\"";
		String doctype = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
				+ "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">";
		return Stream.of(arguments("no width, height or viewBox", root + ">" + script + "</svg>"),
				arguments("only a relative size", root + " width=\"100%\" height=\"100%\">" + script + "</svg>"),
				arguments("an unreadable width", root + " width=\"wide\" height=\"10\">" + script + "</svg>"),
				arguments("a DOCTYPE", doctype + root + " width=\"10\" height=\"10\">" + script + "</svg>"),
				arguments("a DOCTYPE and no size", doctype + root + ">" + script + "</svg>"),
				arguments("a DOCTYPE whose entity is used after the script",
						"<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>" + root
								+ " width=\"10\" height=\"10\">" + script + "<text>&x;</text></svg>"),
				arguments("more pixels than the limit", root + " width=\"1e9\" height=\"1e9\">" + script + "</svg>"),
				arguments("a side over the limit", root + " width=\"20000\" height=\"1\">" + script + "</svg>"));
	}

	/**
	 * Active content is what the sender most needs to know about (and what a client may act on),
	 * so it is the verdict whatever else keeps the SVG from being stored.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("activeSvgWithAnotherFault")
	void activeContentIsTheVerdictWhateverElseIsWrongWithTheSvg(String fault, String svg) throws Exception {
		Inspection.Refused refused = (Inspection.Refused) inspect(TestImages.ascii(svg));
		assertThat(refused.failure().code()).as(fault).isEqualTo("UNSAFE_SVG");
		assertThat(refused.failure().message()).as(fault)
			.isEqualTo("The file 'hostile.bin' is not a valid SVG image: it contains a <script> element.");
	}

	@Test
	void anEventHandlerOnARootWithoutASizeIsActiveContent() throws Exception {
		Inspection.Refused refused = (Inspection.Refused) inspect(
				TestImages.ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"));
		assertThat(refused.failure().code()).isEqualTo("UNSAFE_SVG");
		assertThat(refused.failure().message()).endsWith("it contains an event handler attribute (onload).");
	}

	@Test
	void anSvgWithoutActiveContentKeepsTheCodeOfWhatIsWrongWithIt() throws Exception {
		String root = "<svg xmlns=\"http://www.w3.org/2000/svg\"";
		Inspection.Refused noSize = (Inspection.Refused) inspect(TestImages.ascii(root + "><rect/></svg>"));
		assertThat(noSize.failure().code()).isEqualTo("CORRUPT_IMAGE");
		assertThat(noSize.failure().message()).isEqualTo("The file 'hostile.bin' is not a valid SVG image.");
		// a browser would apply the declared default attribute this reader never sees
		Inspection.Refused doctype = (Inspection.Refused) inspect(TestImages.ascii(
				"<!DOCTYPE svg [<!ATTLIST svg onload CDATA \"alert(1)\">]>" + root + "><rect/></svg>"));
		assertThat(doctype.failure().code()).isEqualTo("CORRUPT_IMAGE");
		assertThat(doctype.failure().message())
			.isEqualTo("The file 'hostile.bin' is not a valid SVG image: document type declarations are not allowed.");
		Inspection.Refused side = (Inspection.Refused) inspect(
				TestImages.ascii(root + " width=\"20000\" height=\"1\"><rect/></svg>"));
		assertThat(side.failure().code()).isEqualTo("TOO_MANY_PIXELS");
	}

	@Test
	void svgEventHandlersOnTheRootAreRefusedToo() throws Exception {
		Inspection.Refused refused = (Inspection.Refused) inspect(
				TestImages.ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" onload=\"x()\"/>"));
		assertThat(refused.failure().code()).isEqualTo("UNSAFE_SVG");
		assertThat(refused.failure().message()).endsWith("it contains an event handler attribute (onload).");
	}

	@Test
	void svgWithOnlyInDocumentReferencesIsAccepted() throws Exception {
		Inspection.Accepted svg = accepted(TestImages.ascii("<svg xmlns=\"http://www.w3.org/2000/svg\" "
				+ "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\"><defs>"
				+ "<linearGradient id=\"g\"/><rect id=\"r\" width=\"1\" height=\"1\"/></defs>"
				+ "<use href=\"#r\"/><use xlink:href=\"#r\"/><rect fill=\"url(#g)\" width=\"2\" height=\"2\"/>"
				+ "<style>rect { fill: url(#g) } /* @import is only a word here? no: comments are dropped */</style>"
				+ "<rect width=\"1\" height=\"1\"><animate attributeName=\"opacity\" values=\"0;1\" dur=\"1s\"/>"
				+ "<set attributeName=\"fill\" to=\"red\"/></rect><?other-instruction x?></svg>"));
		assertThat(svg.format().name()).isEqualTo("SVG");
		assertThat(svg.renditions()).isEmpty();
	}

	@Test
	void aFrameBombSaysWhy() throws Exception {
		Inspection.Refused refused = (Inspection.Refused) inspect(HostileImages.gifFrames(2000, 1, 1));
		assertThat(refused.failure().message())
			.isEqualTo("Image has more than 100 frames, exceeds the maximum limit of 100 frames.");
	}

	@Test
	void framesAndPagesAreCounted() throws Exception {
		assertThat(accepted(HostileImages.gifFrames(3, 1, 1)).frames()).isEqualTo(3);
		assertThat(accepted(HostileImages.gifFrames(100, 1, 1)).frames()).isEqualTo(100);
		assertThat(accepted(HostileImages.tiff(2, 3, 4, -1))).extracting(Inspection.Accepted::frames,
				a -> a.size().width(), a -> a.size().height()).containsExactly(4, 2, 3);
		assertThat(accepted(TestImages.png(5, 5)).frames()).isEqualTo(1);
	}

	@Test
	void anIconReportsItsEmbeddedImagesRealSize() throws Exception {
		Inspection.Accepted icon = accepted(HostileImages.icoWith(16, TestImages.png(64, 48)));
		assertThat(icon.size().width()).isEqualTo(64);
		assertThat(icon.size().height()).isEqualTo(48);
	}

	@Test
	void polyglotsAreTheImageTheirBytesStartWith() throws Exception {
		assertThat(accepted(concat(TestImages.png(4, 4), TestImages.zip())).format().name()).isEqualTo("PNG");
		assertThat(accepted(concat(TestImages.jpeg(4, 4), TestImages.ascii("<script>alert(1)</script>"))).format()
			.name()).isEqualTo("JPEG");
	}

	private Inspection.Accepted accepted(byte[] bytes) throws Exception {
		Inspection verdict = inspect(bytes);
		assertThat(verdict).isInstanceOf(Inspection.Accepted.class);
		return (Inspection.Accepted) verdict;
	}

	private Inspection inspect(byte[] bytes) throws Exception {
		Path file = Files.write(Files.createTempFile(dir, "hostile-", ".bin"), bytes);
		IngestImage job = new IngestImage("acme", "batch-1", "acme/batch-1/0", 0, "item",
				new ItemSource.Staged(null, "hostile.bin"), 1);
		return inspector.inspect(job, file, NOW);
	}

}
