package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

/** The builder's defaults are the product default; the named configs keep their values; build() validates. */
class SoftQConfigBuilderTest {
    @Test
    void theNamedConfigsKeepTheirValues() {
        assertEquals(new SoftQConfig(0.3, 0.0, 0.01, 1e-3, 1.0, 32, "adam", false, "ema", 0.0, 0.01, "hidden+loss", 256, 4, 32, 0.0,
                "first-order", "reducible", false, 1), SoftQConfig.DEFAULT);
        assertEquals(new SoftQConfig(0.1, 0.9, 0.01, 1e-3, 1.0, 32, "adam", false, "none", 0.0, 1.0, "hidden", 1, 1, 1, 0.0,
                "pick", "none", false, 1), SoftQConfig.PAPER);
        assertEquals(new SoftQConfig(0.3, 0.9, 0.01, 1e-3, 1.0, 32, "adam", false, "ema", 0.0, 0.01, "hidden", 64, 2, 16, 0.0,
                "pick", "none", false, 1), dev.curlab.rl.SoftQCurator.SETTINGS);
    }

    @Test
    void toBuilderChangesOnlyWhatIsSet() {
        SoftQConfig c = SoftQConfig.PAPER.toBuilder().beta(0.5).build();
        assertEquals(0.5, c.beta());
        assertEquals(SoftQConfig.PAPER, c.toBuilder().beta(0.1).build());
    }

    @Test
    void buildValidatesWithTheOptionsName() {
        UserError e = assertThrows(UserError.class, () -> SoftQConfig.builder().gamma(0.9).build());
        assertEquals("--q-credit first-order needs --gamma 0: the candidates not taken have no observed next state to bootstrap from, "
                + "got --gamma 0.9", e.getMessage());
    }
}
