package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

class MixtureSpecTest {

    @Test
    void defaultsAreNoise04Duplicates01EqualWeights() {
        assertEquals(MixtureSpec.defaults(), MixtureSpec.parse("builtin:mixture"));
        assertEquals(MixtureSpec.defaults(), MixtureSpec.parse("builtin:mixture?"));
        // arithmetic, grammar, copy, noise, duplicates
        assertArrayEquals(new double[] {0.5 / 3, 0.5 / 3, 0.5 / 3, 0.4, 0.1},
                MixtureSpec.defaults().probabilities(Role.TRAIN), 1e-12);
    }

    @Test
    void learnableSourcesShareTheRemainderByWeight() {
        MixtureSpec spec = MixtureSpec.parse("builtin:mixture?noise=0.2&duplicates=0&arithmetic=3&grammar=1&copy=0");
        assertArrayEquals(new double[] {0.6, 0.2, 0, 0.2, 0}, spec.probabilities(Role.TRAIN), 1e-12);
        assertArrayEquals(new double[] {0.75, 0.25, 0, 0, 0}, spec.probabilities(Role.HELDOUT), 1e-12);
        assertArrayEquals(new double[] {0.75, 0.25, 0, 0, 0}, spec.probabilities(Role.EVAL), 1e-12);
    }

    @Test
    void toStringParsesBackToTheSameSpec() {
        MixtureSpec spec = MixtureSpec.parse("builtin:mixture?copy=2&noise=0.25");
        assertEquals(spec, MixtureSpec.parse(spec.toString()));
    }

    @Test
    void unknownKeyIsNamedWithTheValidOnes() {
        UserError e = assertThrows(UserError.class, () -> MixtureSpec.parse("builtin:mixture?nois=0.3"));
        assertTrue(e.getMessage().contains("'nois'"), e.getMessage());
        assertTrue(e.getMessage().contains("noise, duplicates, arithmetic, grammar, copy"), e.getMessage());
    }

    @Test
    void rejectsBadValues() {
        assertError("builtin:mixture?noise=1", "noise");
        assertError("builtin:mixture?noise=-0.1", "noise");
        assertError("builtin:mixture?duplicates=1.5", "duplicates");
        assertError("builtin:mixture?noise=0.6&duplicates=0.4", "below 1");
        assertError("builtin:mixture?grammar=-1", "grammar");
        assertError("builtin:mixture?arithmetic=0&grammar=0&copy=0", "not all be zero");
        assertError("builtin:mixture?copy=lots", "copy must be a number");
        assertError("builtin:mixture?copy", "needs a value");
        assertError("builtin:mixture?noise=NaN", "noise");
    }

    @Test
    void rejectsUnknownBuiltinName() {
        assertError("builtin:foo", "builtin:mixture");
    }

    private static void assertError(String spec, String expected) {
        UserError e = assertThrows(UserError.class, () -> MixtureSpec.parse(spec), spec);
        assertTrue(e.getMessage().contains(expected), spec + " -> " + e.getMessage());
    }
}
