package dev.curlab.report.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.run.MetricsLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curlab's event files against TensorBoard's own writer (a committed fixture) and reader (when installed). */
class TensorBoardEventsTest {
    @TempDir
    Path tmp;

    /** The scalars of scripts/tensorboard-fixture.py, which wrote src/test/resources/tensorboard/python.tfevents. */
    static final List<Map.Entry<Long, List<EventFile.Scalar>>> SCALARS = List.of(
            Map.entry(0L, List.of(s("eval/loss", 5.25), s("eval/ppl", 190.566))),
            Map.entry(1L, List.of(s("train/loss", 5.5), s("train/lr", 0.0003), s("train/grad_norm", 1.75))),
            Map.entry(2L, List.of(s("train/loss", 4.125), s("train/lr", 0.00015), s("select/q_mean", -0.5))),
            Map.entry(300L, List.of(s("rl/pass_at_1", 0.25), s("rl/frac_reward_zero_std", 0.0), s("cost/flops_sampling", 1.5e12))),
            Map.entry(1L << 40, List.of(s("task/arith/acc", 1.0))));

    static EventFile.Scalar s(String tag, double v) {
        return new EventFile.Scalar(tag, (float) v);
    }

    private static List<EventDecoder.Event> withoutTimes(List<EventDecoder.Event> es) {
        return es.stream().map(e -> new EventDecoder.Event(0, e.step(), e.fileVersion(), e.scalars())).toList();
    }

    @Test
    void curlabsFileDecodesToTheSameEventsAsTensorBoardsWriter() throws IOException {
        Path python = Path.of("src/test/resources/tensorboard/python.tfevents");
        try (EventFile f = EventFile.create(tmp, 1.7e9)) {
            for (var e : SCALARS) {
                f.write(1.7e9 + e.getKey(), e.getKey(), e.getValue());
            }
        }
        Path ours = MetricsLog.eventFiles(tmp).get(0);
        assertTrue(ours.getFileName().toString().startsWith("events.out.tfevents.1700000000."), ours.toString());
        List<EventDecoder.Event> want = EventDecoder.read(python);
        List<EventDecoder.Event> got = EventDecoder.read(ours);
        assertEquals(SCALARS.size() + 1, want.size());
        assertEquals("brain.Event:2", want.get(0).fileVersion());
        assertEquals(Map.of("train/loss", 5.5f, "train/lr", 0.0003f, "train/grad_norm", 1.75f), want.get(2).scalars());
        assertEquals(1L << 40, want.get(5).step());
        assertEquals(withoutTimes(want), withoutTimes(got));
        assertEquals(1.7e9 + 300, got.get(4).wallTime());
    }

    @Test
    void everyNumericKeyMapsToANamespacedTagThroughTheTable() {
        ScalarTags train = new ScalarTags("train");
        assertEquals("train/loss", train.tagOf("train_loss"));
        assertEquals("eval/loss", train.tagOf("eval_loss"));
        assertEquals("eval/loss_by_source/web", train.tagOf("eval_loss_web"));
        assertEquals("select/policy_mass/code", train.tagOf("policy_mass_code"));
        assertEquals("time/score_ms", train.tagOf("score_ms"));
        assertEquals("cost/scoring_forward_tokens", train.tagOf("scoring_forward_tokens"));
        assertEquals("select/td_loss", train.tagOf("td_loss"));
        assertEquals("task/arith/acc", train.tagOf("task/arith/acc"));
        assertNull(train.tagOf("selected_window"));
        ScalarTags rl = new ScalarTags("rl");
        assertEquals("rl/pass_at_1", rl.tagOf("heldout_accuracy"));
        assertEquals("rl/frac_reward_zero_std", rl.tagOf("frac_reward_zero_std"));
        assertEquals("rl/zero_std_share_so_far", rl.tagOf("zero_variance_share"));
        assertEquals("ledger/rollouts_generated", rl.tagOf("rollouts_generated"));
        assertEquals("time/wall_clock_sec", rl.tagOf("wall_clock_sec"));
        assertEquals("cost/flops_sampling", rl.tagOf("flops_sampling"));
        assertEquals("progress/tokens_generated", rl.tagOf("tokens_generated"));
        assertEquals("curator/bandit_entropy", rl.tagOf("bandit_entropy"));
        assertEquals("rl/grad_norm", rl.tagOf("grad_norm"));

        Map<String, Object> step = new LinkedHashMap<>();
        step.put("kind", "eval");
        step.put("step", 5);
        step.put("heldout_accuracy", 0.5);
        step.put("heldout_accuracy_by_source", Map.of("add", 0.25));
        step.put("rollouts", 40);
        step.put("heldout_examples", List.of("1+1=2"));
        step.put("kl", Double.NaN);
        assertEquals(List.of(s("rl/pass_at_1", 0.5), s("rl/pass_at_1_by_source/add", 0.25), s("progress/rollouts", 40)),
                rl.scalars(5, step));
        assertEquals(List.of(), rl.scalars(5, step), "a tag already written at step 5 is not written again");
    }

    private static Map<String, Object> record(long step, double loss) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "step");
        m.put("step", step);
        m.put("train_loss", loss);
        return m;
    }

    @Test
    void aResumedLogTrimsTheEventsPastItsCheckpointAndLogsEachStepOnce() throws Exception {
        Path file = tmp.resolve("metrics.jsonl");
        long checkpointBytes = 0;
        try (MetricsLog log = new MetricsLog(file, 0, "train")) {
            for (int k = 1; k <= 5; k++) {
                log.write(record(k, 10 - k));
                if (k == 3) {
                    checkpointBytes = log.length();
                }
            }
        }
        Thread.sleep(5);
        try (MetricsLog log = new MetricsLog(file, checkpointBytes, "train")) {   // resumed at step 3: steps 4 and 5 again, then 6
            for (int k = 4; k <= 6; k++) {
                log.write(record(k, 20 - k));
            }
        }
        List<Path> files = MetricsLog.eventFiles(tmp);
        assertEquals(2, files.size(), files.toString());
        List<EventDecoder.Event> all = EventDecoder.records(files);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), all.stream().map(EventDecoder.Event::step).toList());
        assertEquals(List.of(9f, 8f, 7f, 16f, 15f, 14f), all.stream().map(e -> e.scalars().get("train/loss")).toList());
        assertEquals(6, Files.readAllLines(file).size());
    }

    @Test
    void tensorBoardsOwnReaderReadsCurlabsFile() throws Exception {
        Assumptions.assumeTrue(python("import tensorboard") == 0, "python3 with tensorboard is not installed");
        try (EventFile f = EventFile.create(tmp, 1.7e9)) {
            for (var e : SCALARS) {
                f.write(1.7e9 + e.getKey(), e.getKey(), e.getValue());
            }
        }
        Path out = tmp.resolve("read.txt");
        String script = "import struct, sys\n"
                + "from tensorboard.backend.event_processing.event_accumulator import EventAccumulator\n"
                + "a = EventAccumulator(sys.argv[1]); a.Reload()\n"
                + "with open(sys.argv[2], 'w') as f:\n"
                + "    for t in sorted(a.Tags()['scalars']):\n"
                + "        for e in a.Scalars(t): f.write('%s %d %d\\n' % (t, e.step, struct.unpack('<i', struct.pack('<f', e.value))[0]))\n";
        assertEquals(0, python(script, tmp.toString(), out.toString()));
        List<String> want = new ArrayList<>();
        for (var e : SCALARS) {
            for (EventFile.Scalar x : e.getValue()) {
                want.add(x.tag() + " " + e.getKey() + " " + Float.floatToIntBits(x.value()));
            }
        }
        want.sort(null);
        List<String> got = new ArrayList<>(Files.readAllLines(out));
        got.sort(null);
        assertEquals(want, got);
    }

    private static int python(String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
