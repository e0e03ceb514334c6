package dev.curlab.rl;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.curlab.util.Spelled;
import dev.curlab.util.UserError;

/** --bank-format: how a bank file's columns are read; auto tells it from the columns ({@link FieldBanks}). */
public enum BankFormat implements Spelled {
    AUTO, CURLAB, VERL, TRL, GSM8K, MATH;

    @JsonCreator
    public static BankFormat of(String s) {
        for (BankFormat f : values()) {
            if (f.spelling().equals(s)) {
                return f;
            }
        }
        throw new UserError("--bank-format must be one of auto, curlab, verl, trl, gsm8k, math, got '" + s + "'");
    }

    @Override
    public String toString() {
        return spelling();
    }
}
