package dev.curlab.util;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An option value with a fixed set of spellings, as an enum: each constant knows how the command line
 * and the run's JSON write it (lower case, hyphens: {@code first-order}), so a typed config keeps the
 * strings on disk unchanged. {@link #parse} reads a spelling or fails in one line naming the option.
 * An enum implementing it is spelled by its constants' names (FIRST_ORDER is {@code first-order}); it
 * adds its {@code of} (a {@code @JsonCreator}) and a {@code toString} returning {@link #spelling()}.
 */
public interface Spelled {
    /** How the command line and config.json write this value: the constant's name in lower case, with hyphens. */
    @JsonValue
    default String spelling() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} spelled {@code value}; anything else is "OPTION: expected a, b or c, got 'value'". */
    static <E extends Enum<E> & Spelled> E parse(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.spelling().equals(value)) {
                return e;
            }
        }
        throw new UserError(option + ": expected " + spellings(type) + ", got '" + value + "'");
    }

    /** "a, b or c". */
    static <E extends Enum<E> & Spelled> String spellings(Class<E> type) {
        List<String> s = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            s.add(e.spelling());
        }
        return s.size() == 1 ? s.get(0) : String.join(", ", s.subList(0, s.size() - 1)) + " or " + s.get(s.size() - 1);
    }
}
