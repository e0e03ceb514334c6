package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The 4x MLP with GPT-2's tanh-approximated GELU. */
final class Mlp extends AbstractBlock {
    final Linear cFc;
    final Linear cProj;
    private final ModelConstants k;
    private final int d;

    Mlp(GptConfig cfg, WeightInit init, ModelConstants k) {
        this.k = k;
        this.d = cfg.dModel();
        cFc = addChildBlock("c_fc", new Linear(d, 4 * d, init.normal(), init));
        cProj = addChildBlock("c_proj", new Linear(4 * d, d, init.residual(), init));
    }

    NDArray apply(NDArray x) {
        return cProj.apply(gelu(cFc.apply(x))); // (B, T, 4C) -> (B, T, C)
    }

    /** gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), with tensor constants only. */
    NDArray gelu(NDArray x) {
        NDArray inner = x.add(x.mul(x).mul(x).mul(k.geluCoef)).mul(k.sqrtTwoOverPi);
        return x.mul(k.half).mul(inner.tanh().add(k.one));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        cFc.initialize(manager, dataType, inputShapes[0]);
        Shape s = inputShapes[0];
        cProj.initialize(manager, dataType, s.slice(0, s.dimension() - 1).add(4L * d));
    }
}
