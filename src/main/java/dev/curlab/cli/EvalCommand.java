package dev.curlab.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.data.DataSource;
import dev.curlab.data.DataSpecs;
import dev.curlab.data.Role;
import dev.curlab.data.Tokenizer;
import dev.curlab.data.Tokenizers;
import dev.curlab.eval.DownstreamTasks;
import dev.curlab.eval.LanguageModelEval;
import dev.curlab.interop.ModelCheckpoints;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.WindowScorer;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code curlab eval}: mean next-token loss and perplexity of a checkpoint over a data spec, and
 * multiple-choice accuracy on HellaSwag and MMLU as lm-evaluation-harness computes it.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a curlab run/checkpoint or a Hugging Face GPT-2 directory: loss and perplexity over --data, accuracy on --task.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
            description = "A curlab run (its newest checkpoint), a checkpoint directory, or a Hugging Face GPT-2 directory.")
    Path checkpoint;

    @Option(names = "--data", paramLabel = "SPEC", description = "Data to score: builtin:mixture, a .txt/.jsonl/.jsonl.gz/.parquet file or a directory.")
    String data;

    @Option(names = "--tokenizer", paramLabel = "NAME", defaultValue = "auto", description = "auto (the checkpoint's), bytes or gpt2 (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--context", paramLabel = "T", description = "Window length T in tokens (default: the model's context).")
    Integer context;

    @Option(names = "--max-windows", paramLabel = "K", description = "Score at most K windows (default: the whole first epoch; required for builtin data).")
    long maxWindows;

    @Option(names = "--batch", paramLabel = "B", description = "Windows per forward pass (default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int batch;

    @Option(names = "--task", paramLabel = "NAME=PATH", description = "hellaswag=FILE.jsonl or mmlu=DIR (repeatable).")
    Map<String, Path> tasks = new LinkedHashMap<>();

    @Option(names = "--mmlu-shots", paramLabel = "k", description = "Solved dev questions before each MMLU question (default: 0).")
    int mmluShots;

    @Option(names = "--limit", paramLabel = "N", description = "Score at most N questions per task (default: all).")
    int limit;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        UserError.require(data != null || !tasks.isEmpty(), "nothing to evaluate: give --data SPEC and/or --task NAME=PATH");
        DownstreamTasks.validate(tasks, "--task");
        UserError.require(maxWindows >= 0, "--max-windows must be >= 0, got " + maxWindows);
        UserError.require(batch >= 1, "--batch must be >= 1, got " + batch);
        UserError.require(mmluShots >= 0, "--mmlu-shots must be >= 0, got " + mmluShots);
        UserError.require(limit >= 0, "--limit must be >= 0, got " + limit);
        ModelCheckpoints.Loaded loaded = ModelCheckpoints.open(checkpoint, "--checkpoint",
                msg -> System.err.println("curlab: warning: " + msg));
        try (Gpt2Model model = loaded.model()) {
            Tokenizer tok = tokenizerFor(loaded);
            int t = context != null ? context : model.config().context();
            UserError.require(t >= 1 && t <= model.config().context(), "--context must be between 1 and the model's context "
                    + model.config().context() + ", got " + t);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("checkpoint", loaded.source().toString());
            out.put("tokenizer", tok.name());
            out.put("context", t);
            if (data != null) {
                UserError.require(maxWindows > 0 || !DataSpecs.isBuiltin(data), "--max-windows is required for builtin data (its stream never ends)");
                LanguageModelEval.Result r;
                try (DataSource src = DataSpecs.open(data, tok, t, 0, Role.EVAL); NDManager m = model.manager().newSubManager()) {
                    r = LanguageModelEval.run(new WindowScorer(model), m, src, maxWindows, batch);
                }
                UserError.require(r.windows() > 0, "--data " + data + " yields no windows of " + (t + 1) + " tokens");
                out.put("data", data);
                out.put("mean_loss", r.meanLoss());
                out.put("perplexity", r.perplexity());
                out.put("windows", r.windows());
                out.put("tokens", r.tokens());
                if (!json) {
                    System.out.printf("%s: mean_loss %.4f perplexity %.3f over %d windows (%d tokens, T=%d, tokenizer %s)%n",
                            data, r.meanLoss(), r.perplexity(), r.windows(), r.tokens(), t, tok.name());
                }
            }
            Map<String, Object> taskResults = new LinkedHashMap<>();
            for (DownstreamTasks.TaskResult r : DownstreamTasks.run(model, tok, tasks, mmluShots, limit)) {
                boolean hs = r.task().equals("hellaswag");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("questions", r.questions());
                m.put("acc", r.acc());
                if (hs) {
                    m.put("acc_norm", r.accNorm());
                } else {
                    m.put("shots", mmluShots);
                    m.put("subjects", r.byGroup());
                }
                taskResults.put(r.task(), m);
                if (!json) {
                    System.out.printf("%s: acc %.4f%s over %d questions%s%n", r.task(), r.acc(),
                            hs ? String.format(" acc_norm %.4f", r.accNorm()) : "", r.questions(),
                            hs ? "" : " (" + mmluShots + "-shot, " + r.byGroup().size() + " subjects)");
                }
            }
            if (!taskResults.isEmpty()) {
                out.put("tasks", taskResults);
            }
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(out));
            }
            return 0;
        }
    }

    /** auto: the tokenizer recorded with the checkpoint, else by vocabulary size (257 bytes, 50257 gpt2). */
    private Tokenizer tokenizerFor(ModelCheckpoints.Loaded loaded) {
        int vocab = loaded.model().config().vocab();
        Tokenizer tok;
        if (!"auto".equals(tokenizer)) {
            tok = Tokenizers.byName(tokenizer);
        } else if (loaded.tokenizer() != null) {
            tok = Tokenizers.byName(loaded.tokenizer());
        } else if (vocab == 257) {
            tok = Tokenizers.byName("bytes");
        } else if (vocab >= 50257) {
            tok = Tokenizers.byName("gpt2");
        } else {
            throw new UserError("--checkpoint " + checkpoint + " does not record its tokenizer (vocab " + vocab + "); pass --tokenizer bytes or gpt2");
        }
        UserError.require(tok.vocabSize() <= vocab, "--tokenizer " + tok.name() + " has " + tok.vocabSize() + " ids but the model's vocabulary has "
                + vocab + "; choose the tokenizer it was trained with");
        return tok;
    }

}
