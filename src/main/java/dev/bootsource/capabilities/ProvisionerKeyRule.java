package dev.bootsource.capabilities;

import java.util.List;
import java.util.Map;

/** A StorageClass of the rule's provisioner whose parameters meet every condition gets {@code key}. */
public record ProvisionerKeyRule(String key, List<ParameterCondition> when) {

    public ProvisionerKeyRule {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a provisioner key rule needs 'key'");
        }
        when = when == null ? List.of() : List.copyOf(when);
    }

    public boolean matches(Map<String, String> parameters) {
        return when.stream().allMatch(condition -> condition.test(parameters));
    }
}
