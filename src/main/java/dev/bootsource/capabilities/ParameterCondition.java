package dev.bootsource.capabilities;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One test on a StorageClass parameter. Every field that is set must hold; unset fields are not tested.
 *
 * @param parameter       the parameter name, e.g. {@code type}
 * @param equals          the value must be one of these
 * @param ignoreCase      compare {@code equals}, {@code startsWith} and {@code contains} without case
 * @param startsWith      the value must start with this
 * @param contains        the value must contain this
 * @param present         true: the parameter must be set (even to ""); false: it must be absent
 * @param notEmpty        true: the parameter must be set to a non-empty value
 * @param listContainsAll the value, split by {@code listSeparator}, must hold all of these items
 * @param listSeparator   a regular expression; "," when not given
 */
public record ParameterCondition(
        String parameter,
        List<String> equals,
        boolean ignoreCase,
        String startsWith,
        String contains,
        Boolean present,
        Boolean notEmpty,
        List<String> listContainsAll,
        String listSeparator) {

    public ParameterCondition {
        if (parameter == null || parameter.isBlank()) {
            throw new IllegalArgumentException("a parameter condition needs 'parameter'");
        }
        equals = equals == null ? null : List.copyOf(equals);
        listContainsAll = listContainsAll == null ? null : List.copyOf(listContainsAll);
        if (listSeparator != null) {
            Pattern.compile(listSeparator); // a bad separator fails when the config is read, not on first use
        }
    }

    public boolean test(Map<String, String> parameters) {
        String value = parameters == null ? null : parameters.get(parameter);
        if (present != null && present != (value != null)) {
            return false;
        }
        if (Boolean.TRUE.equals(notEmpty) && (value == null || value.isEmpty())) {
            return false;
        }
        boolean valueTested = equals != null || startsWith != null || contains != null || listContainsAll != null;
        if (!valueTested) {
            return true;
        }
        if (value == null) {
            return false;
        }
        String subject = normalise(value);
        if (equals != null && equals.stream().map(this::normalise).noneMatch(subject::equals)) {
            return false;
        }
        if (startsWith != null && !subject.startsWith(normalise(startsWith))) {
            return false;
        }
        if (contains != null && !subject.contains(normalise(contains))) {
            return false;
        }
        if (listContainsAll != null) {
            List<String> items = Arrays.stream(value.split(listSeparator == null ? "," : listSeparator))
                    .map(String::trim)
                    .toList();
            return items.containsAll(listContainsAll);
        }
        return true;
    }

    private String normalise(String value) {
        return ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    }
}
