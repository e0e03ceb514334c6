package dev.curlab.serve;

import java.util.Locale;
import java.util.Map;

/** /metrics in the Prometheus text exposition format (version 0.0.4): counters, gauges and the curator's numeric metrics. */
final class PrometheusText {
    private PrometheusText() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> view, Map<String, Long> requests) {
        StringBuilder b = new StringBuilder();
        counter(b, "curlab_serve_sample_calls_total", "Sample calls applied (a repeated request id included).", view.get("sample_calls"));
        counter(b, "curlab_serve_update_calls_total", "Update calls applied (repeated request ids not included).", view.get("update_calls"));
        counter(b, "curlab_serve_duplicate_updates_total", "Update calls with a request id seen before, acknowledged and not counted.", view.get("duplicate_updates"));
        counter(b, "curlab_serve_duplicate_samples_total", "Sample calls with a request id seen before, answered as the first time.", view.get("duplicate_samples"));
        counter(b, "curlab_serve_problems_sampled_total", "Problems handed out by sample calls.", view.get("problems_sampled"));
        counter(b, "curlab_serve_rollouts_total", "Rollout outcomes reported by update calls.", view.get("rollouts"));
        counter(b, "curlab_serve_successes_total", "Rollout outcomes reported right (acc 1).", view.get("successes"));
        gauge(b, "curlab_serve_bank_problems", "Problems in the bank.", view.get("bank_problems"));
        gauge(b, "curlab_serve_problems_attempted", "Problems with at least one reported rollout.", view.get("problems_attempted"));
        gauge(b, "curlab_serve_journal_seq", "Journal records acknowledged since the state directory was created.", view.get("journal_seq"));
        gauge(b, "curlab_serve_journal_records_since_snapshot", "Journal records a restart would replay.", view.get("journal_records_since_snapshot"));
        b.append("# HELP curlab_serve_curator_metric The curator's own numeric metrics (curlab rl's metric names).\n");
        b.append("# TYPE curlab_serve_curator_metric gauge\n");
        ((Map<String, Object>) view.get("curator")).forEach((k, v) -> {
            if (v instanceof Number n) {
                b.append("curlab_serve_curator_metric{name=\"").append(k).append("\"} ").append(number(n.doubleValue())).append('\n');
            }
        });
        b.append("# HELP curlab_serve_http_requests_total HTTP requests by endpoint and status code.\n");
        b.append("# TYPE curlab_serve_http_requests_total counter\n");
        requests.forEach((k, v) -> {
            int sp = k.lastIndexOf(' ');
            b.append("curlab_serve_http_requests_total{path=\"").append(k, 0, sp).append("\",code=\"").append(k.substring(sp + 1))
                    .append("\"} ").append(v).append('\n');
        });
        return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, Object v) {
        metric(b, name, help, "counter", v);
    }

    private static void gauge(StringBuilder b, String name, String help, Object v) {
        metric(b, name, help, "gauge", v);
    }

    private static void metric(StringBuilder b, String name, String help, String type, Object v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        b.append(name).append(' ').append(number(((Number) v).doubleValue())).append('\n');
    }

    /** Prometheus spells non-finite values NaN, +Inf, -Inf. */
    static String number(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "+Inf" : "-Inf";
        }
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : String.format(Locale.ROOT, "%s", x);
    }
}
