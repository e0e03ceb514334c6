package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPT-2 network as a DJL block: token embedding {@code wte} + learned positions {@code wpe},
 * {@code layers} pre-LayerNorm blocks {@code h.i}, final LayerNorm {@code ln_f}. The output head is
 * tied to {@code wte}. Input: token ids (B, T) int64. Output: final hidden states (B, T, C).
 */
final class Gpt2 extends AbstractBlock {
    final Parameter wte;
    final Parameter wpe;
    final List<TransformerBlock> h = new ArrayList<>();
    final LayerNormBlock lnF;
    private final GptConfig cfg;

    Gpt2(GptConfig cfg, WeightInit init, ModelConstants k) {
        this.cfg = cfg;
        wte = addParameter(Parameter.builder().setName("wte").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(cfg.vocab(), cfg.dModel())).optInitializer(init.normal()).build());
        wpe = addParameter(Parameter.builder().setName("wpe").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(cfg.context(), cfg.dModel())).optInitializer(init.normal()).build());
        for (int i = 0; i < cfg.layers(); i++) {
            h.add(addChildBlock("h." + i, new TransformerBlock(cfg, init, k)));
        }
        lnF = addChildBlock("ln_f", new LayerNormBlock(cfg.dModel(), init));
    }

    /**
     * Final-LayerNorm hidden states. ids: (B, T) int64 in {@code step}; result (B, T, C) in {@code step}.
     * With {@code freeEachBlock} (no-grad scoring of many windows) each block's temporaries are freed
     * as soon as it is done, so peak memory holds one block's activations instead of all of them.
     */
    NDArray hidden(NDManager step, NDArray ids, boolean freeEachBlock) {
        long t = ids.getShape().get(1);
        if (t > cfg.context()) {
            throw new IllegalArgumentException("sequence of " + t + " tokens exceeds the model's context " + cfg.context());
        }
        NDArray x = ids.getNDArrayInternal().embedding(ids, wte.getArray(), SparseFormat.DENSE).head(); // (B, T, C)
        NDArray pos = wpe.getArray().get(new NDIndex("0:" + t));                                      // (T, C)
        pos.attach(step); // results of ops on parameters would otherwise live in the model's manager
        x = x.add(pos);
        for (TransformerBlock block : h) {
            if (!freeEachBlock) {
                x = block.apply(step, x);
                continue;
            }
            // The block's temporaries go to a sub-manager closed right after it (x is lent to it, so
            // ops on x land there); only the block's output moves on.
            try (NDManager bm = step.newSubManager()) {
                bm.tempAttachAll(x);
                NDArray y = block.apply(bm, x);
                y.attach(step);
                x = y;
            }
        }
        return lnF.apply(x);
    }

    /**
     * Hidden states of T new positions after the {@code cache}'s: ids and positions (B, T) int64 (each
     * row's own position ids, so left padding shifts nothing), mask (B, 1, T, Tk + T) additive. No
     * gradient; the cache is extended in {@code step} (commit it before {@code step} closes).
     */
    NDArray hiddenCached(NDManager step, NDArray ids, NDArray positions, NDArray mask, KvCache cache) {
        NDArray x = ids.getNDArrayInternal().embedding(ids, wte.getArray(), SparseFormat.DENSE).head();           // (B, T, C)
        NDArray pos = positions.getNDArrayInternal().embedding(positions, wpe.getArray(), SparseFormat.DENSE).head(); // (B, T, C)
        x = x.add(pos);
        for (int i = 0; i < h.size(); i++) {
            x = h.get(i).applyCached(step, x, mask, cache, i);
        }
        return lnF.apply(x);
    }

    /** Tied output head: hidden (b, T, C) -> logits (b, T, V). */
    NDArray logits(NDManager step, NDArray hidden) {
        NDArray wteT = wte.getArray().transpose(); // (C, V)
        wteT.attach(step);
        return hidden.matMul(wteT);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.head();
        return new NDList(hidden(ids.getManager(), ids, !training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), cfg.dModel())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        Shape hiddenShape = new Shape(s.get(0), s.get(1), cfg.dModel());
        for (TransformerBlock block : h) {
            block.initialize(manager, dataType, hiddenShape);
        }
        lnF.initialize(manager, dataType, hiddenShape);
    }
}
