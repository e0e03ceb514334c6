package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.train.RunFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input of the README's error table: a one-line message naming the option or file and
 * what was expected, exit status 2, and an existing run directory left byte for byte unchanged.
 */
class BadInputTest {
    @TempDir
    static Path tmp;
    static Path existing;
    static Path goodData;

    @BeforeAll
    static void anExistingRun() throws IOException {
        existing = tmp.resolve("existing");
        assertEquals(0, Main.run(RunFiles.tinyArgs(existing, 5).toArray(String[]::new)));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("{\"text\":\"a perfectly good document number ").append(i).append("\"}\n");
        }
        goodData = tmp.resolve("good.jsonl");
        Files.writeString(goodData, sb);
    }

    record Outcome(int code, String err) {
    }

    /** Runs a train command over the existing run (with --overwrite unless told otherwise). */
    static Outcome train(boolean overwrite, String... extra) {
        List<String> args = RunFiles.tinyArgs(existing, 5);
        args.addAll(List.of(extra));
        if (overwrite) {
            args.add("--overwrite");
        }
        return run(args.toArray(String[]::new));
    }

    static Outcome run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Outcome(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                files.put(dir.relativize(p).toString(), HexFormat.of().formatHex(h));
            }
        }
        return files;
    }

    static void assertBad(Outcome o, String... fragments) {
        assertEquals(2, o.code(), o.err());
        List<String> errors = o.err().lines().filter(l -> l.startsWith("curlab: error:")).toList();
        assertEquals(1, errors.size(), "exactly one error line expected: " + o.err());
        String line = errors.get(0);
        assertFalse(o.err().lines().anyMatch(l -> !l.startsWith("curlab: ")), "only curlab's own lines: " + o.err());
        assertFalse(line.contains("Exception"), "no stack trace: " + line);
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' missing in: " + line);
        }
    }

    static Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static void assertUnchanged(Map<String, String> before) throws Exception {
        assertEquals(before, snapshot(existing), "the existing run must be byte for byte unchanged");
    }

    @Test
    void badOptions() throws Exception {
        Map<String, String> before = snapshot(existing);
        assertBad(train(true, "--candidates", "0"), "--candidates (N) must be >= 1");
        assertBad(train(true, "--selector", "nope"), "--selector", "unknown selector 'nope'");
        assertBad(train(true, "--model", "huge"), "--model", "unknown model 'huge'");
        assertBad(train(true, "--lr", "-1"), "--lr must be a positive number");
        assertBad(train(true, "--optimizer", "lion"), "--optimizer", "sgd or adamw");
        assertBad(train(true, "--lr-schedule", "steep"), "--lr-schedule", "cosine");
        assertBad(train(true, "--steps", "many"), "--steps", "many");
        assertBad(train(true, "--no-such-flag"), "Unknown option");
        assertBad(train(true, "--tokenizer", "chars"), "unknown tokenizer 'chars'");
        assertBad(train(true, "--heldout-batch", "32", "--heldout-windows", "16"), "--heldout-windows (16) must be >= --heldout-batch (32)");
        assertUnchanged(before);
    }

    @Test
    void aDirectoryThatHoldsARunIsRefusedWithoutResumeOrOverwrite() throws Exception {
        Map<String, String> before = snapshot(existing);
        assertBad(train(false), "--out " + existing, "already holds a run", "--resume", "--overwrite");
        Path other = tmp.resolve("not-a-run");
        Files.createDirectories(other);
        Files.writeString(other.resolve("notes.txt"), "mine");
        List<String> args = RunFiles.tinyArgs(other, 5);
        args.add("--overwrite");
        assertBad(run(args.toArray(String[]::new)), "is not empty and holds no curlab run");
        assertEquals("mine", Files.readString(other.resolve("notes.txt")));
        assertUnchanged(before);
    }

    @Test
    void badDataFiles() throws Exception {
        Map<String, String> before = snapshot(existing);
        String good = goodData.toString();
        assertBad(train(true, "--data", tmp.resolve("missing.jsonl").toString(), "--heldout", good), "missing.jsonl", "not found");
        Path empty = write("empty.jsonl", new byte[0]);
        assertBad(train(true, "--data", empty.toString(), "--heldout", good, "--tokenizer", "bytes"), "empty.jsonl");
        Path binary = write("binary.txt", new byte[] {'a', 0, 0, 1, 2, 'b', '\n'});
        assertBad(train(true, "--data", binary.toString(), "--heldout", good, "--tokenizer", "bytes"), "binary.txt");
        Path badUtf8 = write("latin1.txt", "caf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1));
        assertBad(train(true, "--data", badUtf8.toString(), "--heldout", good, "--tokenizer", "bytes"), "latin1.txt", "UTF-8");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(goodData));
        }
        byte[] all = gz.toByteArray();
        Path truncated = write("cut.jsonl.gz", java.util.Arrays.copyOf(all, all.length / 2));
        assertBad(train(true, "--data", truncated.toString(), "--heldout", good, "--tokenizer", "bytes"), "cut.jsonl.gz");
        Path notObject = write("array.jsonl", "{\"text\":\"fine\"}\n[1, 2, 3]\n".getBytes(StandardCharsets.UTF_8));
        assertBad(train(true, "--data", notObject.toString(), "--heldout", good, "--tokenizer", "bytes"), "array.jsonl", "line 2");
        Path notString = write("number.jsonl", "{\"text\": 42}\n".getBytes(StandardCharsets.UTF_8));
        assertBad(train(true, "--data", notString.toString(), "--heldout", good, "--tokenizer", "bytes"), "number.jsonl", "line 1", "text");
        Path noText = write("notext.jsonl", "{\"body\": \"hello\"}\n".getBytes(StandardCharsets.UTF_8));
        assertBad(train(true, "--data", noText.toString(), "--heldout", good, "--tokenizer", "bytes"), "notext.jsonl", "line 1", "text");
        assertBad(train(true, "--data", good), "--heldout is required");
        Path small = write("small.jsonl", "{\"text\":\"only a short held-out text, about two windows long at most.\"}\n".getBytes(StandardCharsets.UTF_8));
        assertBad(train(true, "--data", good, "--heldout", small.toString(), "--tokenizer", "bytes"), "--heldout", "--heldout-batch");
        assertUnchanged(before);
    }

    @Test
    void badCheckpoints() throws Exception {
        // A run with one checkpoint, then damaged in three ways.
        Path base = tmp.resolve("ck");
        assertEquals(0, Main.run(RunFiles.tinyArgs(base, 4).toArray(String[]::new)));
        Path model = base.resolve("checkpoints/step-00000004/model.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        assertBad(run("train", "--resume", base.toString(), "--no-progress"), "truncated or corrupt", "no intact checkpoint");
        Files.write(model, bytes);

        Path config = base.resolve("config.json");
        String cfg = Files.readString(config);
        Files.writeString(config, cfg.replace("\"model\" : \"nano\"", "\"model\" : \"micro\""));
        assertBad(run("train", "--resume", base.toString(), "--no-progress"), "another model or vocabulary");
        Files.writeString(config, cfg.replace("\"tokenizer\" : \"auto\"", "\"tokenizer\" : \"gpt2\""));
        assertBad(run("train", "--resume", base.toString(), "--no-progress"), "another model or vocabulary", "gpt2");
        Files.writeString(config, cfg);
        assertBad(run("train", "--resume", tmp.resolve("nowhere").toString()), "no curlab run there");
    }

    @Test
    void aNonFiniteLossStopsWithTheStepAndQuantityAndKeepsTheLastGoodCheckpoint() throws Exception {
        Path out = tmp.resolve("nan");
        List<String> args = RunFiles.tinyArgs(out, 30);
        args.addAll(List.of("--lr", "3e3", "--clip", "0", "--optimizer", "sgd", "--checkpoint-every", "2"));
        Outcome o = run(args.toArray(String[]::new));
        // random measures no reward on step 3: the model step 3's update broke shows in step 4's loss
        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains("step 4: non-finite train_loss") && o.err().contains("checkpoints/step-00000002"), o.err());
        // The last good checkpoint resumes (and faults again at the same step, deterministically).
        assertTrue(Files.exists(out.resolve("checkpoints/step-00000002/state.json")));
        Outcome again = run("train", "--resume", out.toString(), "--no-progress");
        assertEquals(3, again.code(), again.err());
        assertTrue(again.err().contains("step 4: non-finite train_loss"), again.err());
        List<String> lines = new ArrayList<>(Files.readAllLines(out.resolve("metrics.jsonl")));
        assertEquals(4, lines.size(), "eval at 0 and steps 1-3: " + lines);
    }

    @Test
    void aBrokenModelIsNeverCheckpointedAsGood() throws Exception {
        // the same fault with a checkpoint every step: random measures the reward before each checkpoint,
        // so step 3's broken model is caught before it is kept
        Path out = tmp.resolve("nan-every");
        List<String> args = RunFiles.tinyArgs(out, 30);
        args.addAll(List.of("--lr", "3e3", "--clip", "0", "--optimizer", "sgd", "--checkpoint-every", "1"));
        Outcome o = run(args.toArray(String[]::new));
        assertEquals(3, o.code(), o.err());
        assertTrue(o.err().contains("step 3: non-finite reward") && o.err().contains("checkpoints/step-00000002"), o.err());
        assertFalse(Files.exists(out.resolve("checkpoints/step-00000003")));
    }
}
