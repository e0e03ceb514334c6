package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Causal multi-head self-attention. Dimension letters: B batch, T time, C channels (d_model),
 * H heads, D head dim (C = H * D).
 */
final class CausalSelfAttention extends AbstractBlock {
    final Linear cAttn;
    final Linear cProj;
    private final int heads;
    private final int headDim;
    private final ModelConstants k;

    CausalSelfAttention(GptConfig cfg, WeightInit init, ModelConstants k) {
        this.heads = cfg.heads();
        this.headDim = cfg.headDim();
        this.k = k;
        cAttn = addChildBlock("c_attn", new Linear(cfg.dModel(), 3 * cfg.dModel(), init.normal(), init));
        cProj = addChildBlock("c_proj", new Linear(cfg.dModel(), cfg.dModel(), init.residual(), init));
    }

    NDArray apply(NDManager step, NDArray x) {
        return attend(step, x, k.causalMask((int) x.getShape().get(1)), null, 0);   // mask (T, T)
    }

    /**
     * Attention of x's T new positions to the cached past and themselves: {@code mask} is additive,
     * (B, 1, T, Tk + T) (0 where a query may look, -1e9 elsewhere: the future and any left padding),
     * and {@code cache} is extended by this pass's keys and values of layer {@code layer}.
     */
    NDArray applyCached(NDManager step, NDArray x, NDArray mask, KvCache cache, int layer) {
        return attend(step, x, mask, cache, layer);
    }

    private NDArray attend(NDManager step, NDArray x, NDArray mask, KvCache cache, int layer) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        long c = s.get(2);
        NDArray qkv = cAttn.apply(x);                                       // (B, T, 3C)
        NDArray split = qkv.reshape(b, t, 3, heads, headDim).transpose(2, 0, 3, 1, 4); // (3, B, H, T, D)
        NDArray q = split.get(0);                                           // (B, H, T, D)
        NDArray kk = split.get(1);
        NDArray v = split.get(2);
        if (cache != null) {
            NDArray[] kv = cache.extend(step, layer, kk, v);                // (B, H, Tk + T, D)
            kk = kv[0];
            v = kv[1];
        }
        NDArray att = q.matMul(kk.transpose(0, 1, 3, 2)).mul(k.attnScale).add(mask); // (B, H, T, Tk + T)
        att = att.softmax(-1);
        NDArray y = att.matMul(v);                                          // (B, H, T, D)
        y = y.transpose(0, 2, 1, 3).reshape(b, t, c);                       // (B, T, C)
        return cProj.apply(y);
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
        cAttn.initialize(manager, dataType, inputShapes[0]);
        cProj.initialize(manager, dataType, inputShapes[0]);
    }
}
