package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.curlab.data.ByteTokenizer;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --stop: parsing, when a completion ends and its text under each rule, and old config.json files without it. */
class StopRuleTest {
    private static final ByteTokenizer TOK = new ByteTokenizer();

    private static int[] ids(String text, boolean eos) {
        int[] body = TOK.encode(text);
        int[] out = java.util.Arrays.copyOf(body, body.length + (eos ? 1 : 0));
        if (eos) {
            out[body.length] = TOK.endOfText();
        }
        return out;
    }

    @Test
    void parsesKeywordsAndEscapedStrings() {
        assertTrue(StopRule.parse("newline").atNewline());
        assertEquals(null, StopRule.parse("eos").text());
        assertFalse(StopRule.parse("eos").atNewline());
        assertEquals("\n\n", StopRule.parse("\\n\\n").text());
        assertEquals("a\tb\\n", StopRule.parse("a\\tb\\\\n").text());
        assertEquals("\\x", StopRule.parse("\\x").text());
        assertEquals("ANSWER", StopRule.parse("ANSWER").text());
        UserError e = assertThrows(UserError.class, () -> StopRule.parse(""));
        assertEquals("--stop must be newline, eos or a non-empty stop string, got an empty one", e.getMessage());
        assertThrows(UserError.class, () -> RlConfig.builder().stop("").build());
    }

    @Test
    void eachRuleEndsAndCutsCompletionsAsDocumented() {
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("pico", 16, TOK.vocabSize()), 1)) {
            Sampler newline = new Sampler(model, TOK, StopRule.parse("newline"));
            Sampler eos = new Sampler(model, TOK, StopRule.parse("eos"));
            Sampler blank = new Sampler(model, TOK, StopRule.parse("\\n\\n"));
            // newline: the first newline ends it; its text leaves the newline out
            assertTrue(newline.ends(ids("12\n", false)));
            assertFalse(newline.ends(ids("12", false)));
            assertEquals("12", newline.text(ids("12\n", false)));
            assertTrue(newline.ends(ids("12", true)));
            // eos: newlines go on, end-of-text ends it and stays out of the text
            assertFalse(eos.ends(ids("step 1\nstep 2\n", false)));
            assertTrue(eos.ends(ids("step 1\nso 12", true)));
            assertEquals("step 1\nso 12", eos.text(ids("step 1\nso 12", true)));
            // a stop string: one newline goes on, the blank line ends it, the text is cut before it
            assertFalse(blank.ends(ids("a\nb\n", false)));
            assertTrue(blank.ends(ids("a\nb\n\n", false)));
            assertEquals("a\nb", blank.text(ids("a\nb\n\n", false)));
            assertTrue(blank.ends(ids("a\nb", true)));
            assertEquals("a\nb", blank.text(ids("a\nb", true)));
            assertEquals("x", blank.text(ids("x\n\nyz", false)));       // the first occurrence cuts
        }
    }

    @Test
    void anOlderConfigWithoutStopResumesWithNewline(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = json.valueToTree(RlConfig.builder().stop("eos").build());
        assertEquals("eos", cfg.get("stop").asText());
        ObjectNode root = json.createObjectNode();
        root.set("config", cfg);
        Files.writeString(dir.resolve("config.json"), json.writeValueAsString(root));
        assertEquals("eos", RlRuns.savedConfig(dir).stop());
        cfg.remove("stop");                                                     // written before --stop existed
        Files.writeString(dir.resolve("config.json"), json.writeValueAsString(root));
        RlConfig old = RlRuns.savedConfig(dir);
        assertEquals("newline", old.stop());
        assertEquals(RlConfig.defaults(), old);
    }
}
