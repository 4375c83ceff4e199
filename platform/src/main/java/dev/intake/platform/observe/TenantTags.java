package dev.intake.platform.observe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value of the {@code tenant} tag of Intake's metrics, with bounded cardinality: the first
 * {@code maxTenants} distinct tenants a process sees keep their own name, every later one is
 * reported as {@link #OTHER}. A process never creates more than {@code maxTenants + 1} series per
 * metric and other tags, however many tenants there are; which tenants get a name of their own
 * depends on the order a process meets them, and starts anew on restart.
 */
public final class TenantTags {

	/** The tag value of every tenant beyond the first {@code maxTenants}. */
	public static final String OTHER = "other";

	/** The tag value when a record has no tenant. */
	public static final String NONE = "none";

	private final int maxTenants;

	private final Set<String> named = ConcurrentHashMap.newKeySet();

	public TenantTags(int maxTenants) {
		this.maxTenants = maxTenants;
	}

	/** The tag value for {@code tenant}. */
	public String of(String tenant) {
		if (tenant == null || tenant.isBlank()) {
			return NONE;
		}
		if (named.contains(tenant)) {
			return tenant;
		}
		synchronized (named) {
			if (named.contains(tenant)) {
				return tenant;
			}
			if (named.size() < maxTenants) {
				named.add(tenant);
				return tenant;
			}
		}
		return OTHER;
	}

}
