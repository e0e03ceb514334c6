package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Pre-LayerNorm block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
final class TransformerBlock extends AbstractBlock {
    final LayerNormBlock ln1;
    final CausalSelfAttention attn;
    final LayerNormBlock ln2;
    final Mlp mlp;

    TransformerBlock(GptConfig cfg, WeightInit init, ModelConstants k) {
        ln1 = addChildBlock("ln_1", new LayerNormBlock(cfg.dModel(), init));
        attn = addChildBlock("attn", new CausalSelfAttention(cfg, init, k));
        ln2 = addChildBlock("ln_2", new LayerNormBlock(cfg.dModel(), init));
        mlp = addChildBlock("mlp", new Mlp(cfg, init, k));
    }

    NDArray apply(NDManager step, NDArray x) { // (B, T, C) -> (B, T, C)
        x = x.add(attn.apply(step, ln1.apply(x)));
        return x.add(mlp.apply(ln2.apply(x)));
    }

    /** The same for T new positions after the cached ones of layer {@code layer} (see {@link CausalSelfAttention#applyCached}). */
    NDArray applyCached(NDManager step, NDArray x, NDArray mask, KvCache cache, int layer) { // (B, T, C) -> (B, T, C)
        x = x.add(attn.applyCached(step, ln1.apply(x), mask, cache, layer));
        return x.add(mlp.apply(ln2.apply(x)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        return new NDList(apply(x.getManager(), x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        ln1.initialize(manager, dataType, inputShapes);
        attn.initialize(manager, dataType, inputShapes);
        ln2.initialize(manager, dataType, inputShapes);
        mlp.initialize(manager, dataType, inputShapes);
    }
}
