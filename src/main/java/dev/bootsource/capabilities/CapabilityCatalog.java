package dev.bootsource.capabilities;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The provisioner knowledge BootSource decides with: how a StorageClass maps to a provisioner key,
 * and the facts known per key. Built from the bundled data file plus the admin's overrides
 * (see {@link CapabilityCatalogLoader}); never from code.
 *
 * @param provisionerKeyRules per provisioner, rules tried in order; the first match gives the key,
 *                            and a provisioner without rules (or no match) is its own key
 * @param provisioners        facts per provisioner key
 * @param unsupportedProvisioners provisioners known not to work with CDI (reported, never configured)
 * @param cdiCommit           the upstream CDI commit whose provisioner knowledge the data carries;
 *                            null when the data does not say
 */
public record CapabilityCatalog(
        Map<String, List<ProvisionerKeyRule>> provisionerKeyRules,
        Map<String, ProvisionerFacts> provisioners,
        Set<String> unsupportedProvisioners,
        String cdiCommit) {

    public CapabilityCatalog {
        provisionerKeyRules = provisionerKeyRules == null ? Map.of() : Map.copyOf(provisionerKeyRules);
        provisioners = provisioners == null ? Map.of() : Map.copyOf(provisioners);
        unsupportedProvisioners = unsupportedProvisioners == null ? Set.of() : Set.copyOf(unsupportedProvisioners);
    }

    /** A catalog that does not name the CDI commit it follows. */
    public CapabilityCatalog(
            Map<String, List<ProvisionerKeyRule>> provisionerKeyRules,
            Map<String, ProvisionerFacts> provisioners,
            Set<String> unsupportedProvisioners) {
        this(provisionerKeyRules, provisioners, unsupportedProvisioners, null);
    }

    public Optional<String> cdiCommitIfKnown() {
        return Optional.ofNullable(cdiCommit).filter(commit -> !commit.isBlank());
    }

    public ProvisionerKey keyOf(String provisioner, Map<String, String> parameters) {
        String name = provisioner == null ? "" : provisioner;
        return provisionerKeyRules.getOrDefault(name, List.of()).stream()
                .filter(rule -> rule.matches(parameters == null ? Map.of() : parameters))
                .findFirst()
                .map(rule -> new ProvisionerKey(rule.key()))
                .orElse(new ProvisionerKey(name));
    }

    public ProvisionerFacts factsOf(ProvisionerKey key) {
        return provisioners.getOrDefault(key.value(), ProvisionerFacts.UNKNOWN);
    }

    public Optional<ProvisionerFacts> knownFactsOf(ProvisionerKey key) {
        return Optional.ofNullable(provisioners.get(key.value()));
    }

    public boolean isUnsupported(String provisioner) {
        return unsupportedProvisioners.contains(provisioner);
    }
}
