package dev.curlab.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.util.UserError;
import java.util.Map;

/**
 * What kind of run a directory holds (pretraining or RL) and how its config record is read back from
 * {@code config.json}: the codec of one loop's config. A run's kind is told by a setting only that
 * loop's config has ({@code marker}); opening a run of another kind is a one-line error that says
 * which command resumes it.
 *
 * @param label   the kind in words, as in "not {@code label}" ("a pretraining run", "an RL run")
 * @param type    the loop's config record
 * @param marker  a config field only this kind has ("selector", "tasks")
 * @param hint    what to do with a run of another kind ("resume it with curlab train --resume")
 * @param <C>     the config record
 */
public record RunKind<C>(String label, Class<C> type, String marker, String hint) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether {@code config} (config.json's "config" object) is of this kind. */
    public boolean holds(Object config) {
        return config instanceof Map<?, ?> m && m.containsKey(marker);
    }

    /**
     * The config record of {@code config}, refused with {@code where} (e.g. "--resume DIR") when it is
     * of another kind; a malformed one is an {@link IllegalArgumentException} the caller words.
     */
    public C decode(Object config, String where) {
        if (!holds(config)) {
            throw new UserError(where + ": not " + label + " (" + hint + ")");
        }
        return JSON.convertValue(config, type);
    }
}
