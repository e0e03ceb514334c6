package dev.curlab.rl;

import dev.curlab.util.UserError;

/**
 * How a user's bank file is read beside its path: a held-out bank of its own
 * ({@code --heldout-tasks}), its format ({@code --bank-format}: auto, curlab, verl, trl, gsm8k,
 * math) and the columns holding prompt and answer when they are not the format's
 * ({@code --prompt-key}, {@code --answer-key}; null: the format's own).
 */
public record BankOptions(String heldoutTasks, BankFormat format, String promptKey, String answerKey) {
    public static final BankOptions DEFAULT = new BankOptions(null, BankFormat.AUTO, null, null);

    public BankOptions {
        format = format == null ? BankFormat.AUTO : format;
        UserError.require(promptKey == null || !promptKey.isBlank(), "--prompt-key must name a column");
        UserError.require(answerKey == null || !answerKey.isBlank(), "--answer-key must name a column");
        UserError.require(format != BankFormat.CURLAB || (promptKey == null && answerKey == null),
                "--prompt-key and --answer-key map the columns of verl, trl, gsm8k and math banks; a curlab bank has prompt and answer");
    }

    static BankOptions of(RlConfig cfg) {
        return new BankOptions(cfg.heldoutTasks(), cfg.bankFormat(), cfg.promptKey(), cfg.answerKey());
    }
}
