package dev.curlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming over a metrics.jsonl shorter than the checkpoint recorded, or edited there, is refused: no step is lost silently. */
class MetricsCutShortTest {
    @TempDir
    Path dir;

    @Test
    void aFileCutShortOrEditedIsRefusedAndLeftAsItWas() throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        String two = "{\"step\":1}\n{\"step\":2}\n";
        Files.writeString(f, "{\"step\":1}\n{\"st");
        String e = assertThrows(UserError.class, () -> new MetricsLog(f, two.length(), "train")).getMessage();
        assertTrue(e.contains(f + " is 15 bytes, shorter than the 22 bytes the checkpoint recorded (it was cut short)"), e);
        assertEquals("{\"step\":1}\n{\"st", Files.readString(f), "nothing truncated or appended");

        Files.writeString(f, "{\"step\":1}\n{\"step\":22}\n");                 // as long, but not a line end where the checkpoint's ended
        e = assertThrows(UserError.class, () -> new MetricsLog(f, two.length(), "train")).getMessage();
        assertTrue(e.contains("does not end a line at byte 22"), e);

        Files.writeString(f, two + "{\"step\":3}\n");                         // lines after the checkpoint: cut back to it
        try (MetricsLog m = new MetricsLog(f, two.length(), "train")) {
            assertEquals(two.length(), m.length());
        }
        assertEquals(two, Files.readString(f));
    }
}
