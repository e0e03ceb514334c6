package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.curlab.run.RunDirectory;
import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

/** RlConfig's option values are typed, and config.json keeps the strings it always held. */
class RlConfigSpellingTest {
    @Test
    void typedValuesAreWrittenAsTheirSpellingsAndReadBack() throws Exception {
        RlConfig c = RlConfig.defaults().toBuilder().verifier("numeric").answerFormat("last-number").bankFormat("verl").build();
        assertEquals(Verifier.Kind.NUMERIC, c.verifier());
        assertEquals(AnswerFormat.LAST_NUMBER, c.answerFormat());
        assertEquals(BankFormat.VERL, c.bankFormat());
        JsonNode tree = RunDirectory.JSON.valueToTree(c);
        assertEquals("numeric", tree.get("verifier").textValue());
        assertEquals("last-number", tree.get("answerFormat").textValue());
        assertEquals("verl", tree.get("bankFormat").textValue());
        assertEquals(c, RunDirectory.JSON.treeToValue(tree, RlConfig.class));
        ObjectNode older = tree.deepCopy();                                   // a config.json from before these options
        older.remove("answerFormat");
        older.remove("bankFormat");
        RlConfig read = RunDirectory.JSON.treeToValue(older, RlConfig.class);
        assertEquals(AnswerFormat.EXACT, read.answerFormat());
        assertEquals(BankFormat.AUTO, read.bankFormat());
    }

    @Test
    void aWrongSpellingNamesTheOption() {
        assertEquals("--verifier must be exact or numeric, got 'fuzzy'",
                assertThrows(UserError.class, () -> RlConfig.defaults().toBuilder().verifier("fuzzy")).getMessage());
        assertEquals("--answer-format must be exact, last-number, gsm8k or boxed, got 'last_number'",
                assertThrows(UserError.class, () -> RlConfig.defaults().toBuilder().answerFormat("last_number")).getMessage());
        assertEquals("--bank-format must be one of auto, curlab, verl, trl, gsm8k, math, got 'hf'",
                assertThrows(UserError.class, () -> RlConfig.defaults().toBuilder().bankFormat("hf")).getMessage());
    }
}
