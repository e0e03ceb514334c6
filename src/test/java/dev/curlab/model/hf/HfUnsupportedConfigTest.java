package dev.curlab.model.hf;

import static dev.curlab.model.hf.TinyCheckpoints.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Hugging Face config that asks for what curlab's GPT-2 does not compute is refused, naming the key (not loaded as GELU, tied). */
class HfUnsupportedConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    private String refusal(String key, Object value) throws Exception {
        HfGpt2Config.of(TINY, null).write(dir, 49);
        ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        cfg.putPOJO(key, value);
        JSON.writeValue(dir.resolve("config.json").toFile(), cfg);
        return assertThrows(UserError.class, () -> HfGpt2Config.read(dir, "--init-from " + dir)).getMessage();
    }

    @Test
    void anotherActivationIsRefusedNamingTheKey() throws Exception {
        assertEquals("--init-from " + dir + ": " + dir.resolve("config.json") + " has activation_function \"relu\"; curlab's GPT-2 computes"
                + " only gelu_new or gelu_pytorch_tanh", refusal("activation_function", "relu"));
    }

    @Test
    void anUntiedHeadIsRefusedNamingTheKey() throws Exception {
        assertEquals("--init-from " + dir + ": " + dir.resolve("config.json") + " has tie_word_embeddings false; curlab's GPT-2 ties its"
                + " output head to wte (tie_word_embeddings true)", refusal("tie_word_embeddings", false));
    }

    @Test
    void whatCurlabWritesAndGpt2sOwnValuesAreAccepted() throws Exception {
        HfGpt2Config.of(TINY, null).write(dir, 49);
        assertEquals(TINY.layers(), HfGpt2Config.read(dir, "x").layers());
        refusalFree("activation_function", "gelu_pytorch_tanh");
    }

    private void refusalFree(String key, String value) throws Exception {
        ObjectNode cfg = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
        cfg.put(key, value);
        JSON.writeValue(dir.resolve("config.json").toFile(), cfg);
        HfGpt2Config.read(dir, "x");
    }
}
