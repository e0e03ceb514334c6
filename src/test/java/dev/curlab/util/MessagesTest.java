package dev.curlab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.TrainConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error lines carry no Java class names or parser internals, whatever a library put in its message. */
class MessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jacksonMessagesLoseClassNamesAndSources() {
        String typeError = assertThrows(IllegalArgumentException.class,
                () -> JSON.convertValue(Map.of("steps", "many"), TrainConfig.class)).getMessage();
        String parseError = assertThrows(Exception.class, () -> JSON.readValue("{\"a\": tru", Map.class)).getMessage();
        for (String raw : new String[] {typeError, parseError}) {
            String clean = Messages.clean(raw);
            assertFalse(clean.contains("dev.curlab"), clean);
            assertFalse(clean.contains("Feature"), clean);
            assertFalse(clean.contains("[Source"), clean);
            assertFalse(clean.contains("\n"), clean);
        }
        assertEquals("Cannot deserialize value of type an integer from String \"many\" (at \"steps\")",
                Messages.clean("Cannot deserialize value of type `java.lang.Long` from String \"many\"\n at [Source: REDACTED "
                        + "(`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 2] (through reference chain: "
                        + "dev.curlab.train.TrainConfig[\"steps\"])"));
        assertEquals("Unrecognized field \"x\", not marked as ignorable",
                Messages.clean("Unrecognized field \"x\" (class dev.curlab.train.TrainConfig), not marked as ignorable"));
    }
}
