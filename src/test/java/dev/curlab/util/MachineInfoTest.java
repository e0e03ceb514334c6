package dev.curlab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** /proc/cpuinfo as two machine families write it. */
class MachineInfoTest {
    static final String AVX512 = """
            processor	: 0
            vendor_id	: AuthenticAMD
            model name	: AMD EPYC 9654 96-Core Processor
            flags		: fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw

            processor	: 1
            model name	: AMD EPYC 9654 96-Core Processor
            flags		: fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512cd avx512bw
            """;
    static final String AVX2 = """
            processor	: 0
            model name	: Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz
            flags		: fpu vme sse sse2 avx avx2 fma avx512_lookalike
            """;

    @Test
    void modelNameAndIsaFlagsAreRead() {
        MachineInfo a = MachineInfo.parse(AVX512, 1, "");
        assertEquals(new MachineInfo("AMD EPYC 9654 96-Core Processor", true, true, 1, ""), a);
        assertEquals("avx512", a.family());
        assertEquals("AMD EPYC 9654 96-Core Processor (avx2, avx512f), 1 PyTorch thread", a.describe());
        MachineInfo b = MachineInfo.parse(AVX2, 2, "");
        assertEquals(new MachineInfo("Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", true, false, 2, ""), b);   // only a flag named avx512f counts
        assertEquals("avx2", b.family());
        assertEquals("Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz (avx2, no avx512f), 2 PyTorch threads", b.describe());
        assertEquals(new MachineInfo("unknown", false, false, 1, ""), MachineInfo.parse("", 1, ""));
        assertEquals("other", MachineInfo.parse("", 1, "").family());
    }

    /** ATEN_CPU_CAPABILITY caps PyTorch's kernels: avx2 on an AVX-512 machine computes as an AVX2 machine does. */
    @Test
    void atenCapabilityCapsTheFamily() {
        MachineInfo capped = MachineInfo.parse(AVX512, 1, "avx2");
        assertEquals("avx2", capped.family());
        assertEquals("AMD EPYC 9654 96-Core Processor (avx2, avx512f, ATEN_CPU_CAPABILITY=avx2), 1 PyTorch thread", capped.describe());
        assertEquals("other", MachineInfo.parse(AVX512, 1, "default").family());
        assertEquals("avx2", MachineInfo.parse(AVX2, 1, "avx512").family());     // it cannot raise what the CPU has
    }
}
