package dev.curlab.eval;

import dev.curlab.data.DataException;
import dev.curlab.eval.MultipleChoiceEval.Question;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * MMLU from the original headerless csv files ({@code {subject}_test.csv}, {@code {subject}_dev.csv};
 * columns question, A, B, C, D, answer letter) anywhere below a directory, prompted as
 * lm-evaluation-harness's {@code mmlu} task: "The following are multiple choice questions (with
 * answers) about {subject}.\n\n", then k solved dev questions (the first k of the subject's dev
 * file), each followed by a blank line, then "{question}\nA. ..\nB. ..\nC. ..\nD. ..\nAnswer:";
 * the choices " A" .. " D" are scored.
 */
public final class Mmlu {
    static final List<String> LETTERS = List.of("A", "B", "C", "D");

    private Mmlu() {
    }

    /** The test questions of every subject below {@code dir}, sorted by subject, with {@code shots} dev examples each. */
    public static List<Question> load(Path dir, int shots, int limit) {
        Map<String, Path> tests = files(dir, "_test.csv");
        if (tests.isEmpty()) {
            throw new DataException("--task mmlu: " + dir + " holds no {subject}_test.csv files");
        }
        Map<String, Path> devs = shots > 0 ? files(dir, "_dev.csv") : Map.of();
        List<Question> out = new ArrayList<>();
        for (Map.Entry<String, Path> t : tests.entrySet()) {
            String subject = t.getKey();
            StringBuilder prefix = new StringBuilder("The following are multiple choice questions (with answers) about "
                    + subject.replace('_', ' ') + ".\n\n");
            if (shots > 0) {
                Path dev = devs.get(subject);
                if (dev == null) {
                    throw new DataException("--mmlu-shots " + shots + ": no " + subject + "_dev.csv below " + dir);
                }
                List<String[]> rows = rows(dev);
                if (rows.size() < shots) {
                    throw new DataException("--mmlu-shots " + shots + ": " + dev + " has only " + rows.size() + " questions");
                }
                for (String[] r : rows.subList(0, shots)) {
                    prefix.append(prompt(r)).append(' ').append(r[5].strip()).append("\n\n");
                }
            }
            for (String[] r : rows(t.getValue())) {
                out.add(new Question(prefix + prompt(r), LETTERS, " ", LETTERS.indexOf(r[5].strip()), subject));
                if (limit > 0 && out.size() >= limit) {
                    return out;
                }
            }
        }
        return out;
    }

    static String prompt(String[] r) {
        return r[0].strip() + "\nA. " + r[1] + "\nB. " + r[2] + "\nC. " + r[3] + "\nD. " + r[4] + "\nAnswer:";
    }

    /** Files named {@code {subject}{suffix}} below dir, by subject in sorted order. */
    private static Map<String, Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            throw new DataException("--task mmlu: " + dir + " is not a directory");
        }
        Map<String, Path> out = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix)).sorted()
                    .forEach(p -> out.putIfAbsent(p.getFileName().toString().replace(suffix, ""), p));
        } catch (IOException | UncheckedIOException e) {
            throw new DataException("--task mmlu: cannot list " + dir + " (" + e.getMessage() + ")");
        }
        return out;
    }

    /** Rows of a headerless csv; each must have 6 fields and an answer letter A-D. */
    static List<String[]> rows(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException("--task mmlu: cannot read " + file + " (" + e.getMessage() + ")");
        }
        List<String[]> rows = Csv.parse(text, file);
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            if (r.length != 6) {
                throw new DataException("--task mmlu: file " + file + " row " + (i + 1)
                        + ": expected 6 columns (question, A, B, C, D, answer), got " + r.length);
            }
            if (!LETTERS.contains(r[5].strip())) {
                throw new DataException("--task mmlu: file " + file + " row " + (i + 1) + ": answer must be A, B, C or D, got \"" + r[5] + "\"");
            }
        }
        return rows;
    }

    /** RFC 4180 csv: quoted fields may hold commas, newlines and doubled quotes. */
    static final class Csv {
        private Csv() {
        }

        static List<String[]> parse(String s, Path file) {
            List<String[]> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean any = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                    any = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                    any = true;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                        i++;
                    }
                    if (any || field.length() > 0) {
                        row.add(field.toString());
                        rows.add(row.toArray(String[]::new));
                    }
                    row.clear();
                    field.setLength(0);
                    any = false;
                } else {
                    field.append(c);
                    any = true;
                }
            }
            if (quoted) {
                throw new DataException("--task mmlu: file " + file + ": unterminated quoted field in row " + (rows.size() + 1));
            }
            if (any || field.length() > 0) {
                row.add(field.toString());
                rows.add(row.toArray(String[]::new));
            }
            return rows;
        }
    }
}
