package dev.intake.status.catalogue;

import dev.intake.contracts.Asset;
import dev.intake.contracts.AssetStored;
import dev.intake.contracts.CloudEventHeaders;
import dev.intake.contracts.EventType;
import dev.intake.contracts.StoredFile;
import dev.intake.status.progress.ObjectUrls;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Turns each change of the catalogue into its CloudEvent under the asset's key: revision 1 is
 * {@code asset.created}, every later revision {@code asset.replaced}. The catalogue store is not
 * cached, so every revision is one change and one event; the id derives from asset and revision,
 * so a re-emission has the same id. A change without a file (none is written) announces nothing.
 */
final class AssetEvents extends ContextualFixedKeyProcessor<String, Asset, Object> {

	private final ObjectUrls urls;

	AssetEvents(ObjectUrls urls) {
		this.urls = urls;
	}

	@Override
	public void process(FixedKeyRecord<String, Asset> record) {
		Asset asset = record.value();
		if (asset == null || asset.file() == null) {
			return;
		}
		EventType type = (asset.revision() <= 1) ? EventType.ASSET_CREATED : EventType.ASSET_REPLACED;
		AssetStored data = new AssetStored(asset.tenant(), asset.id(), asset.api(), asset.attributes(),
				asset.originalName(), asset.revision(), StoredFile.of(asset.file(), urls), asset.createdAt(),
				asset.updatedAt(), asset.batchId());
		context().forward(record.withValue((Object) data)
			.withHeaders(CloudEventHeaders.of(type, idOf(asset.tenant(), asset.id(), asset.revision()),
					Long.toString(asset.id()), asset.updatedAt(), asset.tenant())));
	}

	/** {@code tenant/assets/id/revision-N}: one per stored file of an asset. */
	static String idOf(String tenant, long id, long revision) {
		return tenant + "/assets/" + id + "/revision-" + revision;
	}

}
