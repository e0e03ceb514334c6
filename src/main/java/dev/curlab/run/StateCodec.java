package dev.curlab.run;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How one loop's typed checkpoint state (a record: counters, generator states, the selector's or
 * curator's state) is written to a checkpoint's {@code state.json} and read back. The store adds the
 * format, its version, the step and the files; {@code decode} is told the version the file was written
 * in, so a later format can still read an earlier one.
 *
 * @param <S> the state record
 */
public interface StateCodec<S> {

    /** The state's fields, in the order state.json shows them. */
    Map<String, Object> encode(S state);

    /** The state read from state.json, written in format {@code version} (1 when the file names none). */
    S decode(Map<String, Object> json, int version);

    static <S> StateCodec<S> of(Function<S, Map<String, Object>> encode, BiFunction<Map<String, Object>, Integer, S> decode) {
        return new StateCodec<>() {
            @Override
            public Map<String, Object> encode(S state) {
                return encode.apply(state);
            }

            @Override
            public S decode(Map<String, Object> json, int version) {
                return decode.apply(json, version);
            }
        };
    }
}
