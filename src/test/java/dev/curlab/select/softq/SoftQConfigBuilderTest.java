package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

/** The builder's defaults are the product default; the named configs keep their values; build() validates. */
class SoftQConfigBuilderTest {
    @Test
    void theNamedConfigsKeepTheirValues() {
        assertEquals(new SoftQConfig(0.3, 0.0, 0.01, 1e-3, 1.0, 32, SoftQConfig.QOptimizer.ADAM, false, SoftQConfig.Norm.EMA, 0.0, 0.01, "hidden+loss", 256, 4, 32, 0.0,
                SoftQConfig.Credit.FIRST_ORDER, SoftQConfig.Prior.REDUCIBLE, false, 1), SoftQConfig.DEFAULT);
        assertEquals(new SoftQConfig(0.1, 0.9, 0.01, 1e-3, 1.0, 32, SoftQConfig.QOptimizer.ADAM, false, SoftQConfig.Norm.NONE, 0.0, 1.0, "hidden", 1, 1, 1, 0.0,
                SoftQConfig.Credit.PICK, SoftQConfig.Prior.NONE, false, 1), SoftQConfig.PAPER);
        assertEquals(new SoftQConfig(0.3, 0.9, 0.01, 1e-3, 1.0, 32, SoftQConfig.QOptimizer.ADAM, false, SoftQConfig.Norm.EMA, 0.0, 0.01, "hidden", 64, 2, 16, 0.0,
                SoftQConfig.Credit.PICK, SoftQConfig.Prior.NONE, false, 1), dev.curlab.rl.SoftQCurator.SETTINGS);
    }

    @Test
    void toBuilderChangesOnlyWhatIsSet() {
        SoftQConfig c = SoftQConfig.PAPER.toBuilder().beta(0.5).build();
        assertEquals(0.5, c.beta());
        assertEquals(SoftQConfig.PAPER, c.toBuilder().beta(0.1).build());
    }

    @Test
    void theOptionValuesAreTypedAndWrittenAsTheirCommandLineSpellings() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String written = json.writeValueAsString(SoftQConfig.DEFAULT);
        assertEquals(true, written.contains("\"qOptimizer\":\"adam\",\"softMixture\":false,\"rewardNorm\":\"ema\""), written);
        assertEquals(true, written.contains("\"credit\":\"first-order\",\"prior\":\"reducible\""), written);
        assertEquals(SoftQConfig.DEFAULT, json.readValue(written, SoftQConfig.class));
        assertEquals(SoftQConfig.Credit.FIRST_ORDER, SoftQConfig.builder().credit("first-order").build().credit());
        UserError e = assertThrows(UserError.class, () -> SoftQConfig.builder().credit("first_order"));
        assertEquals("--q-credit: expected pick or first-order, got 'first_order'", e.getMessage());
        e = assertThrows(UserError.class, () -> SoftQConfig.builder().rewardNorm("z"));
        assertEquals("--reward-norm: expected none, running or ema, got 'z'", e.getMessage());
    }

    @Test
    void buildValidatesWithTheOptionsName() {
        UserError e = assertThrows(UserError.class, () -> SoftQConfig.builder().gamma(0.9).build());
        assertEquals("--q-credit first-order needs --gamma 0: the candidates not taken have no observed next state to bootstrap from, "
                + "got --gamma 0.9", e.getMessage());
    }
}
