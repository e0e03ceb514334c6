package dev.curlab.cli;

import dev.curlab.data.Tokenizers;
import dev.curlab.interop.HfTokenizerFiles;
import dev.curlab.interop.ModelCheckpoints;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.hf.HfGpt2;
import dev.curlab.run.RunMarkers;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code curlab export}: a curlab checkpoint in the Hugging Face GPT-2 layout. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a checkpoint as a Hugging Face GPT-2 directory (config.json + model.safetensors, F32; "
                + "and the tokenizer: vocab.json, merges.txt, tokenizer_config.json and special_tokens_map.json; byte models also TOKENIZER.md).")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
            description = "A curlab run (its newest checkpoint) or a checkpoint directory.")
    Path checkpoint;

    @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "Output format: hf.")
    String format;

    @Parameters(index = "0", paramLabel = "OUT", description = "Output directory (created; must be empty unless --overwrite).")
    Path out;

    @Option(names = "--overwrite", description = "Replace config.json, model.safetensors and the tokenizer files in a non-empty OUT.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        if (!"hf".equals(format)) {
            throw new UserError("--to: unknown format '" + format + "' (expected hf)");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("OUT " + out + " is a file, expected a directory");
        }
        if (RunMarkers.isRun(out)) {                                              // its config.json would be replaced
            throw new UserError("OUT " + out + " holds a curlab run (" + RunMarkers.marker(out) + "); export into another directory");
        }
        if (Files.isDirectory(out) && !overwrite) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new UserError("OUT " + out + " is not empty; choose another directory or pass --overwrite");
                }
            }
        }
        ModelCheckpoints.Loaded loaded = ModelCheckpoints.open(checkpoint, "--checkpoint",
                msg -> System.err.println("curlab: warning: " + msg));
        try (Gpt2Model model = loaded.model()) {
            int eot = loaded.tokenizer() != null ? Tokenizers.byName(loaded.tokenizer()).endOfText() : model.config().vocab() - 1;
            HfGpt2.export(model, loaded.tokenizer(), eot, out);
            List<Path> tokenizerFiles = HfTokenizerFiles.write(out, loaded.tokenizer(), model.config().context());
            System.out.println("exported " + loaded.source() + " (" + model.config().layers() + " layers, d_model "
                    + model.config().dModel() + ", context " + model.config().context() + ", vocab " + model.config().vocab()
                    + ") to " + out.toAbsolutePath());
            System.out.println(tokenizerFiles.isEmpty()
                    ? "no tokenizer files: the checkpoint names no tokenizer"
                    : "tokenizer: " + String.join(", ", tokenizerFiles.stream().map(p -> p.getFileName().toString()).toList())
                            + (loaded.tokenizer().equals("bytes") ? " (bytes: ids 0-255 = UTF-8 bytes, 256 = end of text, as GPT-2 files"
                            + " without merges)" : " (GPT-2's)"));
            return 0;
        }
    }
}
