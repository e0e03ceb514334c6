package dev.curlab.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.curlab.util.UserError;

/**
 * Where models live: {@code cpu}, {@code gpu} (the first CUDA device) or {@code auto} (a GPU when the
 * engine sees one). The process-wide choice is made once, by the command line, before models are
 * built; every manager of a model and its step sub-managers inherit it.
 */
public final class Devices {
    private static volatile Device current = Device.cpu();

    private Devices() {
    }

    /** Resolves a --device value; a GPU asked for but not present is a one-line error. */
    public static Device resolve(String name) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (name) {
            case "cpu" -> Device.cpu();
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "gpu" -> {
                if (gpus == 0) {
                    throw new UserError("--device gpu: the PyTorch engine sees no GPU (this build bundles the CPU natives; "
                            + "see docs/performance.md, \"GPU\", for the CUDA flavour), use --device cpu or auto");
                }
                yield Device.gpu();
            }
            default -> throw new UserError("--device: expected auto, cpu or gpu, got '" + name + "'");
        };
    }

    public static void use(Device device) {
        current = device;
    }

    public static Device current() {
        return current;
    }
}
