package dev.curlab.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The API's request bodies, read strictly: a field the API does not know, a value of the wrong type,
 * an integer out of range or a non-finite number is a 4xx with a one-line reason naming the field.
 * Ranges that depend on the bank (indices) are checked by {@link CuratorService} before it changes anything.
 */
public final class Requests {
    public static final int MAX_REQUEST_ID = 200;
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)    // so that a NaN reward is named, not a parse error
            .build();

    private Requests() {
    }

    /**
     * POST /v1/sample.
     *
     * @param n          problems to pick (>= 1)
     * @param requestId  optional; a repeat returns the first answer and changes nothing
     * @param candidates optional bank indices the curator picks among (else the service draws oversample x n)
     * @param step       optional step handed to the curator (else the count of sample calls so far)
     * @param withText   whether each problem carries its id, prompt, answer and source (default true)
     */
    public record Sample(int n, String requestId, int[] candidates, Long step, boolean withText) {
    }

    /** One problem's rollouts: binary accuracies and optional shaped rewards of the same length. */
    public record Result(int index, int[] acc, double[] reward) {
    }

    /** POST /v1/update: a client-chosen id (a repeat is acknowledged and not counted again) and the results. */
    public record Update(String requestId, List<Result> results) {
    }

    static JsonNode parse(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw ApiError.bad("the body must be a JSON object");
            }
            return n;
        } catch (JacksonException e) {
            throw ApiError.bad("the body is not valid JSON (" + e.getOriginalMessage().replaceAll("\\s+", " ") + ")");
        } catch (java.io.IOException e) {
            throw ApiError.bad("the body could not be read");
        }
    }

    public static Sample sample(JsonNode o) {
        only(o, "", Set.of("n", "request_id", "candidates", "step", "with_text"));
        int n = integer(o.get("n"), "n", 1, Integer.MAX_VALUE, true);
        String id = requestId(o.get("request_id"), false);
        int[] candidates = null;
        JsonNode c = o.get("candidates");
        if (c != null && !c.isNull()) {
            if (!c.isArray() || c.isEmpty()) {
                throw ApiError.bad("candidates must be a non-empty array of bank indices");
            }
            candidates = new int[c.size()];
            for (int i = 0; i < candidates.length; i++) {
                candidates[i] = integer(c.get(i), "candidates[" + i + "]", 0, Integer.MAX_VALUE, true);
            }
            if (n > candidates.length) {
                throw ApiError.unprocessable("n (" + n + ") must be <= the number of candidates (" + candidates.length + ")");
            }
        }
        Long step = null;
        JsonNode s = o.get("step");
        if (s != null && !s.isNull()) {
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.longValue() < 0) {
                throw ApiError.bad("step must be an integer >= 0, got " + s);
            }
            step = s.longValue();
        }
        JsonNode t = o.get("with_text");
        if (t != null && !t.isBoolean()) {
            throw ApiError.bad("with_text must be true or false, got " + t);
        }
        return new Sample(n, id, candidates, step, t == null || t.booleanValue());
    }

    public static Update update(JsonNode o) {
        only(o, "", Set.of("request_id", "results"));
        String id = requestId(o.get("request_id"), true);
        JsonNode rs = o.get("results");
        if (rs == null || !rs.isArray() || rs.isEmpty()) {
            throw ApiError.bad("results must be a non-empty array of {index, acc, reward?}");
        }
        List<Result> out = new ArrayList<>(rs.size());
        int g = -1;
        for (int i = 0; i < rs.size(); i++) {
            String at = "results[" + i + "]";
            JsonNode r = rs.get(i);
            if (!r.isObject()) {
                throw ApiError.bad(at + " must be an object {index, acc, reward?}");
            }
            only(r, at + ".", Set.of("index", "acc", "reward"));
            int index = integer(r.get("index"), at + ".index", 0, Integer.MAX_VALUE, true);
            JsonNode a = r.get("acc");
            if (a == null || !a.isArray() || a.isEmpty()) {
                throw ApiError.bad(at + ".acc must be a non-empty array of 0/1 rollout outcomes");
            }
            int[] acc = new int[a.size()];
            for (int j = 0; j < acc.length; j++) {
                JsonNode x = a.get(j);
                if (x.isBoolean()) {
                    acc[j] = x.booleanValue() ? 1 : 0;
                } else if (x.isIntegralNumber() && (x.asLong() == 0 || x.asLong() == 1)) {
                    acc[j] = x.intValue();
                } else {
                    throw ApiError.unprocessable(at + ".acc[" + j + "] must be 0 or 1, got " + x);
                }
            }
            if (g >= 0 && acc.length != g) {
                throw ApiError.unprocessable(at + ".acc has " + acc.length + " rollouts, results[0].acc " + g
                        + " (one update reports groups of one size; send other sizes in another update)");
            }
            g = acc.length;
            double[] reward = null;
            JsonNode w = r.get("reward");
            if (w != null && !w.isNull()) {
                if (!w.isArray() || w.size() != acc.length) {
                    throw ApiError.unprocessable(at + ".reward must be an array of " + acc.length + " numbers (one per rollout in acc)");
                }
                reward = new double[w.size()];
                for (int j = 0; j < reward.length; j++) {
                    JsonNode x = w.get(j);
                    if (!x.isNumber() || !Double.isFinite(x.doubleValue())) {
                        throw ApiError.unprocessable(at + ".reward[" + j + "] must be a finite number, got " + (x.isNumber() ? x.asText() : x.toString()));
                    }
                    reward[j] = x.doubleValue();
                }
            }
            out.add(new Result(index, acc, reward));
        }
        return new Update(id, List.copyOf(out));
    }

    private static void only(JsonNode o, String prefix, Set<String> known) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw ApiError.bad("unknown field '" + prefix + f + "' (expected " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    private static int integer(JsonNode x, String name, int min, int max, boolean required) {
        if (x == null || x.isNull()) {
            if (required) {
                throw ApiError.bad("missing field '" + name + "'");
            }
            return min;
        }
        if (!x.isIntegralNumber() || !x.canConvertToLong() || x.longValue() < min || x.longValue() > max) {
            throw ApiError.bad(name + " must be an integer >= " + min + ", got " + x);
        }
        return x.intValue();
    }

    private static String requestId(JsonNode x, boolean required) {
        if (x == null || x.isNull()) {
            if (required) {
                throw ApiError.bad("missing field 'request_id' (a client-chosen string; a retry with the same one is not counted twice)");
            }
            return null;
        }
        if (!x.isTextual() || x.textValue().isEmpty() || x.textValue().length() > MAX_REQUEST_ID) {
            throw ApiError.bad("request_id must be a string of 1 to " + MAX_REQUEST_ID + " characters, got " + abbreviate(x.toString()));
        }
        return x.textValue();
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
